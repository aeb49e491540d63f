"""The Curtois-Qu shift scheduling benchmark (Instance1..24) on the project's CP-SAT core.

`parser` reads the text format, `model` states it with the shared rule functions (the
whole instance, one employee, or a part of a roster with the rest fixed), `construct`
makes a first roster employee by employee, `lns` improves it part by part with CP-SAT,
`evaluate` re-scores a written roster without the solver, and `bench` runs the table.
"""
