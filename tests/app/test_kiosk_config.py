"""kiosk.toml: strict like the settings (one line naming the key), a PIN stored only as a scrypt hash."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from carbon_smart_meter.app.kiosk_config import (
    KioskConfig,
    KioskConfigError,
    StationConfig,
    from_dict,
    hash_pin,
    load_config,
    read_config,
    save_config,
)

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
DEV = "0x" + "ab" * 20


def test_a_full_config_round_trips(tmp_path):
    cfg = KioskConfig(title="Pool", language="de", qr_url="https://r.example/{device}/{name}", rotation=90,
                      wh_per_phone_charge=12.0, pin_hash=hash_pin("2468"),
                      stations=(StationConfig(device=DEV, name="Bar"), StationConfig(port="/dev/ttyACM0")))
    path = save_config(cfg, tmp_path / "kiosk.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    back = read_config(path)
    assert back == cfg
    assert back.name_of(DEV.upper().replace("X", "x"), "", "a1") == "Bar"
    assert back.qr_of(DEV, "", "a1") == f"https://r.example/{DEV}/Bar"
    assert back.check_pin("2468") and not back.check_pin("2469")
    assert "2468" not in path.read_text()


@pytest.mark.parametrize(("data", "words"), [
    ({"colour": "red"}, "unknown key(s) colour"),
    ({"rotation": 45}, "rotation = 45; choose 0, 90, 180 or 270"),
    ({"language": "it"}, "language = 'it' is not among languages"),
    ({"languages": ["en", "xx"]}, "choose from en, de, es, fr"),
    ({"wh_per_phone_charge": 0}, "more than 0 Wh"),
    ({"idle_after_s": "ten"}, "idle_after_s = 'ten'; it must be a number"),
    ({"stations": [{"name": "no device"}]}, "names neither a device"),
    ({"stations": [{"device": "0x12"}]}, "use the adapter's 0x address"),
    ({"stations": [{"device": DEV, "colour": 1}]}, "unknown key(s) colour"),
])
def test_a_wrong_value_is_named_in_one_line(data, words):
    with pytest.raises(KioskConfigError, match=None) as err:
        from_dict(data)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_broken_file_starts_the_kiosk_on_defaults_and_says_why(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("rotation = 45\n")
    cfg, problem = load_config(path)
    assert cfg == KioskConfig() and problem is not None and str(path) in problem and "using defaults" in problem
    path.write_text("title = \n")
    assert "not valid TOML" in load_config(path)[1]


def test_the_pin_must_be_4_to_12_digits():
    for bad in ("123", "12345678901234", "12a4", ""):
        with pytest.raises(KioskConfigError, match="4 to 12 digits"):
            hash_pin(bad)


def test_csm_kiosk_set_pin_stores_a_hash_and_keeps_the_rest(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('title = "Pool"\n')
    env = {**os.environ, "STAFF_PIN": "97531"}
    done = subprocess.run([*CSM, "kiosk", "--config", str(path), "--set-pin", "--pin-env", "STAFF_PIN"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cfg = read_config(path)
    assert cfg.title == "Pool" and cfg.check_pin("97531") and "97531" not in path.read_text()
    bad = subprocess.run([*CSM, "kiosk", "--config", str(path), "--set-pin", "--pin-env", "NOPE"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "NOPE" in bad.stderr and "Traceback" not in bad.stderr
    assert read_config(path).check_pin("97531")  # unchanged


def test_csm_serve_status_without_a_service_says_what_to_do(tmp_path):
    done = subprocess.run([*CSM, "serve", "--status", "--socket", str(tmp_path / "none.sock")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "no session service" in done.stderr and "csm serve" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_csm_kiosk_without_a_display_says_where_to_run_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([*CSM, "kiosk", "--socket", str(tmp_path / "none.sock")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "no display" in done.stderr and "cage" in done.stderr
    assert "Traceback" not in done.stderr and "platform plugin" not in done.stderr
