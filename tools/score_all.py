"""strip_boilerplate and the C4-style filter on every labelled real-page set, per half and overall.

    PYTHONPATH=src python tools/score_all.py [--test] [--sites]

Each set's sites are split alternately in alphabetical order (dev = sites[0::2], test = sites[1::2]), as in
tests/test_realpages.py.  Without --test only the dev halves are printed; --sites adds per-site figures.
"""
import sys

sys.path.insert(0, "tests")
import realpages as rp  # noqa: E402

from zhclean.filters.boilerplate import StripBoilerplate  # noqa: E402

ROOTS = (rp.REALPAGES, rp.REALPAGES2, rp.REALPAGES3, rp.REALPAGES4, rp.REALPAGES5, rp.REALPAGES6, rp.REALPAGES7)


def fmt(a):
    return f"P {a['precision']:.3f} R {a['recall']:.3f} (tp {a['tp']} fp {a['fp']} fn {a['fn']})"


def main():
    f = StripBoilerplate()
    show_test = "--test" in sys.argv
    for root in ROOTS:
        P = rp.pages(root)
        ours, c4 = {}, {}
        for n, (_, labels) in P.items():
            t = rp.text(n, root)
            ours[n] = rp.removed_lines(lambda x: f.apply(x, explain=True), t)
            c4[n] = {i for i, ln in enumerate(t.split("\n")) if i < len(labels) and not rp.c4_keep(ln)}
        sites = sorted({s for s, _ in P.values()})
        dev, test = sites[0::2], sites[1::2]
        halves = (("dev", dev), ("test", test), ("all", None)) if show_test else (("dev", dev),)
        for name, w in halves:
            print(f"{root.name} {name}: zhclean {fmt(rp.score(ours, w, root))} | C4-style {fmt(rp.score(c4, w, root))}")
        low = [s for s in (sites if show_test else dev) if rp.score(ours, [s], root)["recall"] < 0.9]
        print(f"{root.name} low-recall sites: {low}")
        if "--sites" in sys.argv:
            for s in (sites if show_test else dev):
                half = "dev" if s in dev else "test"
                print(f"  {s} ({half}): zhclean {fmt(rp.score(ours, [s], root))} | C4-style {fmt(rp.score(c4, [s], root))}")


if __name__ == "__main__":
    main()
