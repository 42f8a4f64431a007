"""What every bench script shares: its own marked block in bench/README.md, rewritten in
place by each run, and the name of the machine's CPU for the line that records it."""

from __future__ import annotations

from pathlib import Path


def replace_block(readme: Path, start: str, end: str, section: str) -> None:
    """Put `section` between the markers `start` and `end` of `readme`, or append the
    marked block where the README has none yet; the rest of the file stays as it is."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def cpu_model(default: str) -> str:
    """The CPU's model name from /proc/cpuinfo, or `default` where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default
