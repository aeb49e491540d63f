"""The Curtois-Qu shift scheduling benchmark (Instance1..24) on the project's CP-SAT core.

`parser` reads the text format, `model` states it with the shared rule functions,
`construct` makes and improves rosters employee by employee, `evaluate` re-scores a
written roster without the solver, and `bench` runs the table.
"""
