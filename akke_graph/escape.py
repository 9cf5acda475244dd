"""Text made safe where it is written: a comment line in an RDF file, and a terminal.

Names of files, labels from the data and values from the command line end up in both. A line
break in a comment would start a statement of its own (a triple the user never wrote); an escape
sequence printed to a terminal can erase lines or retitle the window.
"""

from __future__ import annotations

import re

_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators; tab and line feed
# are left to layout
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def comment(*lines: str) -> str:
    """Comment lines (``# …``) for the head of a Turtle, TriG or N-Triples file: whatever a line
    holds stays inside its comment."""
    return "".join("# " + _BREAKS.sub(" ", line) + "\n" for line in lines)


def visible(text: str) -> str:
    """``text`` for a terminal: control characters shown as ``\\x1b``-style escapes, not acted on."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
