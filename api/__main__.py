"""`python -m api serve|admin|loadbench`: the service's commands without the `roster` script."""

import sys

from api.cli import main

sys.exit(main())
