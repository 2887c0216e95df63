"""Markov attribution on 1,000,000 journeys: our exact engine against ChannelAttribution and
marketing-attribution-models (MAM), same data, same run.

    .venv/bin/python benchmarks/attribution.py [--journeys 1000000] [--seed 7] [--channels 12]

1. Generates the journeys (seeded, vectorised) and groups them into the grouped path format
   (path, conversions, null, value) with the engine's `group_journeys`.
2. Computes an exact reference of the removal effects independently of the engine: transition
   counts by a plain Python loop (self-loops kept), then for every channel a dense
   numpy.linalg.solve of the chain with that channel's incoming transitions sent to null.
3. Runs each contender in its own subprocess on the same grouped data already in memory (ours:
   path strings + count arrays; ChannelAttribution: its pandas DataFrame; MAM: its
   "grouped_journey" frame) and reports wall time of the model call and peak RSS of the process
   (VmHWM from /proc/self/status, which also sees C/C++ allocations).
4. Prints times, memory, ratios and the largest removal-effect difference from the reference.

The two packages are not project dependencies: when missing they are installed into the
running interpreter's environment by name; a failed install or a crash is reported and the
benchmark goes on. Target: ours faster than the fastest of them, < 0.5 GB, |RE - exact| < 1e-9.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from infludesk.attribution.engine import (  # noqa: E402
    PathTable,
    group_journeys,
    markov,
    parse_journeys,
    table_from_paths,
)

PACKAGES = {
    "channelattribution": ("ChannelAttribution", ["ChannelAttribution", "matplotlib"]),
    "mam": ("mam", ["marketing-attribution-models"]),
}
TOLERANCE = 1e-9
TARGET_BYTES = 0.5 * 1024**3


# ---------------------------------------------------------------- data
def generate(n: int, k: int, seed: int) -> tuple[PathTable, float]:
    """n journeys over k channels: length 1 + Geometric, popular channels drawn more often,
    a touch repeats the previous channel with probability 0.25 (self-loops), conversion
    probability 1 - prod(1 - q_c) over the touches, value lognormal for converters."""
    rng = np.random.default_rng(seed)
    lengths = np.minimum(rng.geometric(0.45, size=n), 15)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    popularity = rng.dirichlet(np.full(k, 2.0))
    touches = rng.choice(k, size=int(offsets[-1]), p=popularity)
    repeat = rng.random(len(touches)) < 0.25
    repeat[offsets[:-1]] = False
    idx = np.flatnonzero(repeat)
    touches[idx] = touches[idx - 1]
    q = rng.uniform(0.005, 0.06, size=k)
    path_of = np.repeat(np.arange(n), lengths)
    log_miss = np.bincount(path_of, weights=np.log1p(-q[touches]), minlength=n)
    converted = rng.random(n) < 1.0 - np.exp(log_miss)
    values = np.where(converted, np.round(rng.lognormal(4.0, 0.5, size=n), 2), 0.0)
    names = [f"creator_{i:02d}" for i in range(k)]
    t0 = time.perf_counter()
    table = group_journeys(offsets, touches.astype(np.int64), converted, values, names)
    return table, time.perf_counter() - t0


def to_rows(table: PathTable) -> list[str]:
    return [" > ".join(table.path(i)) for i in range(table.n_paths)]


# ---------------------------------------------------------------- exact reference
def exact_removal_effects(paths: list[list[str]], conv: np.ndarray, null: np.ndarray) -> dict:
    """Independent reference: dense chain with self-loops kept, one solve per removal."""
    channels = sorted({c for p in paths for c in p})
    pos = {c: i + 1 for i, c in enumerate(channels)}
    k = len(channels)
    start, conv_s, null_s = 0, k + 1, k + 2
    counts = np.zeros((k + 3, k + 3))
    for path, c, nl in zip(paths, conv, null, strict=True):
        total = c + nl
        if total == 0:
            continue
        states = [pos[x] for x in path]
        counts[start, states[0]] += total
        for a, b in itertools.pairwise(states):
            counts[a, b] += total
        counts[states[-1], conv_s] += c
        counts[states[-1], null_s] += nl

    def p_conv(m: np.ndarray) -> float:
        out = m[: k + 1].sum(axis=1, keepdims=True)
        probs = np.divide(m[: k + 1], out, out=np.zeros_like(m[: k + 1]), where=out > 0)
        q = probs[:, : k + 1]
        r = probs[:, conv_s]
        return float(np.linalg.solve(np.eye(k + 1) - q, r)[0])

    base = p_conv(counts)
    effects = {}
    for c in channels:
        m = counts.copy()
        j = pos[c]
        m[:, null_s] += m[:, j]
        m[:, j] = 0.0
        m[j, :] = 0.0  # unreachable now; keeps the solve well-posed
        effects[c] = 1.0 - p_conv(m) / base
    return effects


# ---------------------------------------------------------------- workers (subprocesses)
def _rss_bytes() -> int:
    """Peak resident memory of this process. VmHWM belongs to this process image; ru_maxrss on
    Linux would carry over the parent's peak through fork + exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(name: str, data: Path) -> dict:
    payload = json.loads(data.read_text())
    paths, conv = payload["paths"], np.array(payload["conv"], dtype=np.float64)
    null, value = np.array(payload["null"], dtype=np.float64), np.array(payload["value"])
    del payload
    if name == "ours":
        before = _rss_bytes()
        t0 = time.perf_counter()
        table = table_from_paths(paths, conv, null, value)
        result = markov(table)
        seconds = time.perf_counter() - t0
        peak = _rss_bytes()  # before the extra measurements below
        t1 = time.perf_counter()
        markov(table)
        arrays_only = time.perf_counter() - t1
        csv_text = "path,conversions,null,value\n" + "".join(
            f'"{p}",{int(c)},{int(n)},{v}\n'
            for p, c, n, v in zip(paths, conv, null, value, strict=True)
        )
        t2 = time.perf_counter()
        markov(parse_journeys(csv_text))
        from_csv = time.perf_counter() - t2
        tracemalloc.start()
        markov(table_from_paths(paths, conv, null, value))
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        re = dict(zip(table.channels, result.removal_effects.tolist(), strict=True))
        extra = {
            "markov_on_arrays_s": arrays_only,
            "parse_csv_and_markov_s": from_csv,
            "traced_peak": traced_peak,
        }
    elif name == "channelattribution":
        import pandas as pd
        from ChannelAttribution import markov_model

        df = pd.DataFrame(
            {"path": paths, "total_conversions": conv, "total_null": null, "value": value}
        )
        before = _rss_bytes()
        t0 = time.perf_counter()
        out = markov_model(
            df,
            "path",
            "total_conversions",
            var_value="value",
            var_null="total_null",
            out_more=True,
            verbose=False,
            flg_pro=False,
        )
        seconds = time.perf_counter() - t0
        peak = _rss_bytes()
        effects = out["removal_effects"]
        re = dict(zip(effects["channel_name"], effects["removal_effects_conversion"], strict=True))
        extra = {"note": "Monte-Carlo simulation (nsim_start=1e5, default convergence)"}
    elif name == "mam":
        import polars as pl
        from mam import MAM

        conv_rows = conv > 0
        null_rows = null > 0
        frame = pl.DataFrame(
            {
                "path": [p for p, keep in zip(paths, conv_rows, strict=True) if keep]
                + [p for p, keep in zip(paths, null_rows, strict=True) if keep],
                "occurrences": np.concatenate([conv[conv_rows], null[null_rows]]).astype(np.int64),
                "has_conversion": [True] * int(conv_rows.sum()) + [False] * int(null_rows.sum()),
                "value": np.concatenate([value[conv_rows], np.zeros(int(null_rows.sum()))]),
            }
        )
        before = _rss_bytes()
        t0 = time.perf_counter()
        model = MAM(
            frame,
            format_type="grouped_journey",
            channels_colname="path",
            journey_with_conv_colname="has_conversion",
            occurrences_colname="occurrences",
            conversion_value_colname="value",
            path_separator=" > ",
        )
        res = model.run_markov()
        seconds = time.perf_counter() - t0
        peak = _rss_bytes()
        table_re = res.metadata["removal_effect"]
        re = {str(c): float(v) for c, v in table_re["removal_effect"].items()}
        extra = {}
    else:
        raise SystemExit(f"unknown worker {name}")
    return {
        "seconds": seconds,
        "rss_before": before,
        "rss_peak": peak,
        "removal_effects": re,
        **extra,
    }


# ---------------------------------------------------------------- driver
def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except Exception:  # any import failure (missing module or its dependency) means install
        return False
    return True


def ensure_installed(key: str) -> str | None:
    module, dists = PACKAGES[key]
    if _importable(module):
        return None
    print(f"installing {' '.join(dists)} for the benchmark ...", flush=True)
    cmd = [sys.executable, "-m", "pip", "install", "-q", *dists]
    uv = Path(sys.executable).with_name("uv")
    if not _importable("pip") and uv.exists():  # a uv-made environment may lack pip
        cmd = [str(uv), "pip", "install", "-q", "--python", sys.executable, *dists]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"pip install {' '.join(dists)} failed: {done.stderr.strip()[-400:]}"
    importlib.invalidate_caches()
    try:
        importlib.import_module(module)
    except Exception as exc:  # a broken install must not stop the benchmark
        return f"installed but import {module} fails: {exc!r}"
    return None


def run_worker(name: str, data: Path, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", name, "--data", str(data)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-600:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--worker")
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data)))
        return 0

    t0 = time.perf_counter()
    table, group_s = generate(args.journeys, args.channels, args.seed)
    gen_s = time.perf_counter() - t0
    paths = to_rows(table)
    n_journeys = int(table.conversions.sum() + table.nulls.sum())
    print(
        f"{n_journeys:,} journeys ({int(table.conversions.sum()):,} converted) over "
        f"{table.n_channels} channels -> {table.n_paths:,} distinct paths "
        f"(generated in {gen_s:.2f} s, seed {args.seed}; our group_journeys took {group_s:.2f} s)"
    )
    t0 = time.perf_counter()
    reference = exact_removal_effects(
        [p.split(" > ") for p in paths], table.conversions, table.nulls
    )
    ref_s = time.perf_counter() - t0
    print(f"exact reference (dense solve per removal, self-loops kept): {ref_s:.2f} s")

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journeys.json"
        data.write_text(
            json.dumps(
                {
                    "paths": paths,
                    "conv": table.conversions.tolist(),
                    "null": table.nulls.tolist(),
                    "value": table.values.tolist(),
                }
            )
        )
        for name in ("ours", "channelattribution", "mam"):
            problem = None if name == "ours" else ensure_installed(name)
            if problem:
                results[name] = {"error": problem}
            else:
                print(f"running {name} ...", flush=True)
                results[name] = run_worker(name, data, args.timeout)
    return report(results, reference)


def report(results: dict[str, dict], reference: dict[str, float]) -> int:
    print()
    head = f"{'implementation':<22} {'time':>10} {'peak RSS':>10} {'RSS delta':>10}"
    print(f"{head} {'max |RE-exact|':>15}")
    for name, res in results.items():
        if "error" in res:
            print(f"{name:<22} FAILED: {res['error']}")
            continue
        re = res["removal_effects"]
        missing = set(reference) - set(re)
        diff = max(abs(re.get(c, float("nan")) - v) for c, v in reference.items())
        print(
            f"{name:<22} {res['seconds']:>9.3f}s {mb(res['rss_peak']):>10} "
            f"{mb(res['rss_peak'] - res['rss_before']):>10} {diff:>15.3e}"
            + (f"  (missing channels: {sorted(missing)})" if missing else "")
        )
    ours = results.get("ours", {})
    if "error" in ours:
        print("our engine failed")
        return 1
    print(
        f"\nours: markov on arrays {ours['markov_on_arrays_s'] * 1000:.1f} ms; "
        f"parse CSV text + markov {ours['parse_csv_and_markov_s']:.3f} s; "
        f"tracemalloc peak of strings -> removal effects {mb(ours['traced_peak'])}"
    )
    others = {n: r for n, r in results.items() if n != "ours" and "error" not in r}
    for name, res in others.items():
        print(f"speed-up vs {name}: {res['seconds'] / ours['seconds']:.1f}x")
    exact_ok = max(abs(ours["removal_effects"][c] - v) for c, v in reference.items()) < TOLERANCE
    fastest_ok = all(ours["seconds"] < r["seconds"] for r in others.values())
    memory_ok = ours["rss_peak"] < TARGET_BYTES
    verdict = ("PASS" if fastest_ok else "FAIL") if others else "n/a (no other ran)"
    print(
        f"targets: exact within {TOLERANCE:g}: {'PASS' if exact_ok else 'FAIL'}; "
        f"faster than the fastest other: {verdict}; "
        f"peak < 0.5 GB: {'PASS' if memory_ok else 'FAIL'}"
    )
    return 0 if exact_ok and memory_ok and (fastest_ok or not others) else 1


if __name__ == "__main__":
    raise SystemExit(main())
