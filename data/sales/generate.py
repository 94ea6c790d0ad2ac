#!/usr/bin/env python3
"""Deterministic generator for ACME Corp's FY2025 sales data.

Writes data/sales/sales.csv and data/sales/products.csv and prints the
quarterly aggregates (Markdown) that the sales reports in data/corpus/ quote.

    python3 data/sales/generate.py            # write the CSVs and print the summary
    python3 data/sales/generate.py --check    # only print the summary

Only the standard library is used. random.Random(seed).random() is stable
across CPython 3.x versions, so the output is byte-for-byte reproducible.
Values never contain commas or quotes, so the CSV needs no quoting.
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 2025

# product_id, product_name, category, list_price_usd (current 2025 price list), launch_date
PRODUCTS = [
    ("ACME-R100", "Roadrunner R100", "Robotics", 12900, "2022-04-12"),
    ("ACME-R200", "Roadrunner R200", "Robotics", 24500, "2024-09-03"),
    ("ACME-S10", "SkyHook S10", "Drones", 4750, "2023-03-21"),
    ("ACME-A1", "Anvil A1 Edge Gateway", "IoT", 1290, "2021-10-05"),
    ("ACME-T5", "TrackPoint T5", "IoT", 89, "2023-08-14"),
    ("ACME-C1", "Coyote Cloud", "Software", 4800, "2022-01-10"),
    ("ACME-P3", "PowerCell P3", "Accessories", 640, "2022-04-12"),
]

REGIONS = ["North America", "EMEA", "APAC", "LATAM"]
CHANNELS = ["Direct", "Partner", "Online"]
# Net price as a share of list price: Direct deals carry an average negotiated
# discount of 8%, authorized partners buy at 20% off list, Online sells at list.
CHANNEL_FACTOR = {"Direct": 0.92, "Partner": 0.80, "Online": 1.00}

# Base monthly units per product in a region with weight 1.0
BASE_UNITS = {
    "ACME-R100": 18, "ACME-R200": 5, "ACME-S10": 30, "ACME-A1": 90,
    "ACME-T5": 1400, "ACME-C1": 40, "ACME-P3": 120,
}
CHANNEL_SHARE = {
    "ACME-R100": {"Direct": 0.6, "Partner": 0.4, "Online": 0.0},
    "ACME-R200": {"Direct": 0.7, "Partner": 0.3, "Online": 0.0},
    "ACME-S10": {"Direct": 0.4, "Partner": 0.35, "Online": 0.25},
    "ACME-A1": {"Direct": 0.3, "Partner": 0.4, "Online": 0.3},
    "ACME-T5": {"Direct": 0.2, "Partner": 0.3, "Online": 0.5},
    "ACME-C1": {"Direct": 0.5, "Partner": 0.2, "Online": 0.3},
    "ACME-P3": {"Direct": 0.2, "Partner": 0.3, "Online": 0.5},
}
# Region weight per quarter: designed so that each quarter has one clear leader.
REGION_WEIGHT = {
    "2025-Q1": {"North America": 1.00, "EMEA": 0.66, "APAC": 0.50, "LATAM": 0.20},
    "2025-Q2": {"North America": 0.78, "EMEA": 1.08, "APAC": 0.56, "LATAM": 0.24},
    "2025-Q3": {"North America": 0.80, "EMEA": 0.62, "APAC": 1.12, "LATAM": 0.30},
    "2025-Q4": {"North America": 1.22, "EMEA": 0.80, "APAC": 0.72, "LATAM": 0.46},
}
# Product ramp per quarter (the R200 launched in September 2024 and ramps up;
# the S10 slows after its 2025 price cut is absorbed).
PRODUCT_RAMP = {
    "ACME-R100": [1.00, 1.00, 0.95, 0.90],
    "ACME-R200": [0.60, 0.90, 1.30, 2.10],
    "ACME-S10": [1.00, 1.10, 1.15, 1.05],
    "ACME-A1": [1.00, 0.95, 1.00, 1.05],
    "ACME-T5": [0.90, 1.00, 1.10, 1.30],
    "ACME-C1": [0.90, 1.00, 1.10, 1.25],
    "ACME-P3": [1.00, 1.00, 1.05, 1.15],
}
# Month-in-quarter seasonality: quarter-end months are strongest.
MONTH_FACTOR = [0.95, 0.97, 1.12]


def quarter_of(month_index: int) -> str:
    return f"2025-Q{month_index // 3 + 1}"


def generate():
    rng = random.Random(SEED)
    rows = []
    for m in range(12):
        month = f"2025-{m + 1:02d}"
        quarter = quarter_of(m)
        qi = m // 3
        for region in REGIONS:
            for pid, name, category, price, _launch in PRODUCTS:
                for channel in CHANNELS:
                    share = CHANNEL_SHARE[pid][channel]
                    if share == 0:
                        continue
                    noise = 0.85 + 0.30 * rng.random()
                    expected = (BASE_UNITS[pid] * REGION_WEIGHT[quarter][region]
                                * PRODUCT_RAMP[pid][qi] * MONTH_FACTOR[m % 3]
                                * share * noise)
                    units = int(expected + 0.5)
                    if units <= 0:
                        continue
                    revenue = int(units * price * CHANNEL_FACTOR[channel] + 0.5)
                    rows.append((month, quarter, region, pid, name, category,
                                 units, revenue, channel))
    return rows


def money(v: int) -> str:
    return f"${v:,}"


def summary(rows):
    quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    prev_total = None
    out = []
    for q in quarters:
        qr = [r for r in rows if r[1] == q]
        total = sum(r[7] for r in qr)
        units = sum(r[6] for r in qr)
        out.append(f"## {q}: total {money(total)} units {units:,}")
        if prev_total is not None:
            out.append(f"growth vs previous quarter: {100.0 * (total - prev_total) / prev_total:.1f}%")
        prev_total = total
        out.append("| Region | Units | Revenue | Share |")
        out.append("| --- | ---: | ---: | ---: |")
        reg = sorted(((sum(r[7] for r in qr if r[2] == g), sum(r[6] for r in qr if r[2] == g), g)
                      for g in REGIONS), reverse=True)
        for rev, u, g in reg:
            out.append(f"| {g} | {u:,} | {money(rev)} | {100.0 * rev / total:.1f}% |")
        out.append("| Product ID | Product | Category | Units | Revenue |")
        out.append("| --- | --- | --- | ---: | ---: |")
        prods = sorted(((sum(r[7] for r in qr if r[3] == p[0]), sum(r[6] for r in qr if r[3] == p[0]), p)
                        for p in PRODUCTS), reverse=True)
        for rev, u, p in prods:
            out.append(f"| {p[0]} | {p[1]} | {p[2]} | {u:,} | {money(rev)} |")
        ch = [(c, sum(r[7] for r in qr if r[8] == c)) for c in CHANNELS]
        out.append("channels: " + ", ".join(f"{c} {money(v)} ({100.0 * v / total:.1f}%)" for c, v in ch))
        months = sorted({r[0] for r in qr})
        out.append("months: " + ", ".join(f"{mo} {money(sum(r[7] for r in qr if r[0] == mo))}" for mo in months))
        out.append("")
    total = sum(r[7] for r in rows)
    out.append(f"## FY2025 total {money(total)} units {sum(r[6] for r in rows):,}")
    for g in REGIONS:
        out.append(f"{g}: {money(sum(r[7] for r in rows if r[2] == g))} units {sum(r[6] for r in rows if r[2] == g):,}")
    for p in PRODUCTS:
        out.append(f"{p[0]} {p[1]}: {money(sum(r[7] for r in rows if r[3] == p[0]))} units {sum(r[6] for r in rows if r[3] == p[0]):,}")
    for c in CHANNELS:
        v = sum(r[7] for r in rows if r[8] == c)
        out.append(f"{c}: {money(v)} ({100.0 * v / total:.1f}%)")
    return "\n".join(out)


def main():
    rows = generate()
    if "--check" not in sys.argv:
        with open(os.path.join(HERE, "sales.csv"), "w", newline="\n") as f:
            f.write("month,quarter,region,product_id,product_name,category,units,revenue_usd,channel\n")
            for r in rows:
                f.write(",".join(str(x) for x in r) + "\n")
        with open(os.path.join(HERE, "products.csv"), "w", newline="\n") as f:
            f.write("product_id,product_name,category,list_price_usd,launch_date\n")
            for p in PRODUCTS:
                f.write(",".join(str(x) for x in p) + "\n")
    print(summary(rows))


if __name__ == "__main__":
    main()
