"""Running a ``python -m`` command: its exit code, and no traceback when the reader goes away."""
from __future__ import annotations

import os
import sys
from typing import Callable, NoReturn


def run(main: Callable[[], int | None]) -> NoReturn:
    """``sys.exit(main())`` with stdout flushed first. A reader that went away (``python -m ... --help | head``)
    is not an error of ours: the rest of the output goes to /dev/null and the exit code is 0."""
    try:
        try:
            code = main()
        except SystemExit as exc:          # argparse's --help and usage errors: flush before leaving too
            code = exc.code
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
