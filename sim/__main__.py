"""``python -m sim COMMAND …`` — see ``python -m sim --help``."""

import sys

from core.cli import build_parser, run


def main(argv=None) -> int:
    parser = build_parser("python -m sim", "政务服务大厅窗口排队仿真、人员配置与排班", "sim.commands")
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
