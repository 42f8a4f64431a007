"""The ILLUSTRATIVE timeline truth: which quarter of which year is shaded, and how.

samples/facsimiles/timeline-truth.csv holds one line per shaded quarter:
action_id, year, period (quarter 1..4), class ('looptijd' or 'mijlpaal').
Quarters not listed are blank. It is generated once (fixed seed) when missing,
then committed and read as input, so editing it changes every facsimile.

Coarser sub-columns are derived: a period that covers quarters q..r (a year =
quarters 1-4; half-year 1 = quarters 1-2, half-year 2 = quarters 3-4) is shaded
when any of its quarters is shaded, and its class is 'mijlpaal' when any of them
is 'mijlpaal', else 'looptijd'.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

QUARTERS = 4
CLASSES = ("looptijd", "mijlpaal")
SEED = 20130702  # the LRT date of the annex
HEADER = ("action_id", "year", "period", "class")

Cells = dict[tuple[int, int], str]  # (year, period) -> class


def generate(action_ids: list[str], years: tuple[int, ...], seed: int = SEED) -> dict[str, Cells]:
    """A plausible illustrative timeline: each action runs one contiguous run of
    quarters inside the years; 0-2 of its years hold a milestone quarter."""
    rng = random.Random(seed)
    first, last = years[0], years[-1]
    total = (last - first + 1) * QUARTERS
    truth: dict[str, Cells] = {}
    for index, action_id in enumerate(action_ids):
        # Most actions start in the second half of 2013 (the pact dates from July 2013).
        if rng.random() < 0.6:
            start = rng.choice([1, 2, 2, 3, 3])  # 2013 Q2..Q4 (0-based quarter index)
        else:
            start = rng.randrange(4, min(total, 4 * 4))  # 2014..2016
        roll = rng.random()
        if roll < 0.18:
            end = total - 1  # structural: runs to the end of the timeline
        elif roll < 0.28:
            end = start  # a single quarter
        else:
            end = min(total - 1, start + rng.randint(1, 14))
        if index == 0:  # make sure the first row exercises the full width
            start, end = 2, total - 1
        cells: Cells = {}
        for q in range(start, end + 1):
            cells[(first + q // QUARTERS, q % QUARTERS + 1)] = "looptijd"
        span_years = sorted({year for year, _ in cells})
        count = rng.choice([0, 1, 1, 2, 2])
        milestone_years = sorted(rng.sample(span_years, min(count, len(span_years))))
        for year in milestone_years:
            quarters = sorted(p for y, p in cells if y == year)
            if year == span_years[-1] and rng.random() < 0.6:
                quarter = quarters[-1]  # "gereed": completion at the end of the run
            else:
                quarter = rng.choice(quarters)
            cells[(year, quarter)] = "mijlpaal"
        truth[action_id] = cells
    return truth


def write_csv(path: Path, truth: dict[str, Cells]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for action_id, cells in truth.items():
            for (year, period), colour_class in sorted(cells.items()):
                writer.writerow((action_id, year, period, colour_class))


def read_csv(path: Path, action_ids: list[str], years: tuple[int, ...]) -> dict[str, Cells]:
    """Read and check the truth file; actions it does not list have no shading."""
    truth: dict[str, Cells] = {action_id: {} for action_id in action_ids}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != HEADER:
            raise ValueError(f"{path.name}: header must be {','.join(HEADER)}")
        for line, row in enumerate(reader, 2):
            action_id, colour_class = row["action_id"].strip(), row["class"].strip()
            year, period = int(row["year"]), int(row["period"])
            if action_id not in truth:
                raise ValueError(f"{path.name}:{line}: unknown action_id {action_id!r}")
            if year not in years or not 1 <= period <= QUARTERS:
                raise ValueError(f"{path.name}:{line}: year/period out of range")
            if colour_class not in CLASSES:
                raise ValueError(f"{path.name}:{line}: class must be one of {CLASSES}")
            if (year, period) in truth[action_id]:
                raise ValueError(f"{path.name}:{line}: duplicate cell")
            truth[action_id][(year, period)] = colour_class
    return truth


def load_or_create(path: Path, action_ids: list[str], years: tuple[int, ...]) -> dict[str, Cells]:
    if not path.exists():
        write_csv(path, generate(action_ids, years))
        print(f"wrote {path} (new illustrative timeline, seed {SEED})")
    return read_csv(path, action_ids, years)


def coarsen(cells: Cells, periods_per_year: int) -> Cells:
    """Quarter cells -> cells of `periods_per_year` (1, 2 or 4) periods per year."""
    if QUARTERS % periods_per_year:
        raise ValueError("periods_per_year must divide 4")
    width = QUARTERS // periods_per_year
    out: Cells = {}
    for (year, quarter), colour_class in cells.items():
        key = (year, (quarter - 1) // width + 1)
        if out.get(key) != "mijlpaal":
            out[key] = colour_class
    return dict(sorted(out.items()))


def years_of(cells: Cells) -> tuple[list[int], list[int]]:
    active = sorted({year for year, _ in cells})
    milestones = sorted({year for (year, _), c in cells.items() if c == "mijlpaal"})
    return active, milestones
