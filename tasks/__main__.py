"""``python -m tasks COMMAND …`` — see ``python -m tasks --help``."""

import sys

from .cli import build_parser, run


def main(argv=None) -> int:
    parser = build_parser("python -m tasks", "任务分解表导入、依赖图、进展跟踪与报告", "tasks.commands")
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
