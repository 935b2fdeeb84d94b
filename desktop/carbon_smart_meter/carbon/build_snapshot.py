"""Maintainer tool: rebuild data/ember_carbon_intensity.csv from codecarbon's OWID/Ember copy.

Not used at run time. Run after `pip download codecarbon --no-deps` and unpacking the wheel:

    python -m carbon_smart_meter.carbon.build_snapshot <unpacked>/codecarbon/data/private_infra/global_energy_mix.json \
        /usr/share/iso-codes/json/iso_3166-1.json desktop/carbon_smart_meter/carbon/data/ember_carbon_intensity.csv

Only the carbon-intensity and total-generation columns are kept (the generation weights the flagged
world average); ISO alpha-2 and numeric codes come from Debian's iso-codes so that settings (alpha-2),
the dataset (alpha-3) and bind messages (numeric) name a country the same way.
"""

from __future__ import annotations

import csv
import json
import sys

COLUMNS = ["iso_alpha2", "iso_alpha3", "iso_numeric", "country", "year", "gco2e_per_kwh", "generation_twh"]


def build(mix_json: str, iso_json: str, out_csv: str) -> int:
    with open(mix_json, encoding="utf-8") as f:
        mix = json.load(f)
    with open(iso_json, encoding="utf-8") as f:
        iso = {c["alpha_3"]: c for c in json.load(f)["3166-1"]}
    rows = []
    for alpha3, entry in sorted(mix.items()):
        code = iso[alpha3]
        rows.append([code["alpha_2"], alpha3, int(code["numeric"]), entry["country_name"], int(entry["year"]),
                     f"{float(entry['carbon_intensity']):.3f}", f"{float(entry['total_TWh']):.2f}"])
    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(build(*sys.argv[1:4]), "rows")
