"""Checks that hold whatever the interpreter's flags.

`assert` statements vanish under `python -O` (or PYTHONOPTIMIZE in the environment), and a
compatibility script that asserts would then pass whatever the server answered. These do not.
"""


class CheckFailed(Exception):
    """A compatibility check did not hold."""


def check(condition, *context):
    """Raises CheckFailed, with `context` as its message, unless `condition` holds."""
    if not condition:
        raise CheckFailed(" ".join(str(part) for part in context) or "check failed")
