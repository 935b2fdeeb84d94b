"""The window speaks German, Spanish and French: catalogues complete, in step with the code, compiled.

`make translations` refreshes the catalogues from the sources and compiles them; these tests fail when
a UI string was added or changed without that, when a translation is missing, or when a translation
lost a `{placeholder}` (which would raise KeyError at run time) or a menu accelerator.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from carbon_smart_meter.settings import LANGUAGES
from carbon_smart_meter.ui import i18n

UI = Path(i18n.__file__).parent
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    assert Path(found).exists(), f"{name} comes with PySide6; reinstall the venv"
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(ctx.findtext("name"), msg.findtext("source")): msg.find("translation")
            for ctx in root.iter("context") for msg in ctx.iter("message")}


def test_every_language_in_the_settings_has_a_catalogue():
    assert TRANSLATED == ["de", "es", "fr"]
    for lang in TRANSLATED:
        assert (UI / "translations" / f"csm_{lang}.ts").is_file() and i18n.catalogue(lang).is_file()


def test_catalogues_hold_exactly_the_strings_of_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run([_tool("pyside6-lupdate"), *map(str, sorted(UI.glob("*.py"))), "-locations", "none",
                    "-ts", str(fresh)], check=True, capture_output=True)
    wanted = set(_messages(fresh))
    assert len(wanted) > 150
    for lang in TRANSLATED:
        have = set(_messages(UI / "translations" / f"csm_{lang}.ts"))
        assert have == wanted, (f"csm_{lang}.ts is out of step with the code (run `make translations`): "
                                f"missing {sorted(wanted - have)[:5]}, stale {sorted(have - wanted)[:5]}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_with_its_placeholders_and_accelerator(lang):
    for (ctx, source), tr in _messages(UI / "translations" / f"csm_{lang}.ts").items():
        where = f"csm_{lang}.ts [{ctx}] {source!r}"
        assert tr is not None and tr.get("type") is None and (tr.text or "").strip(), f"untranslated: {where}"
        text = tr.text
        assert sorted(re.findall(r"\{\w*\}", text)) == sorted(re.findall(r"\{\w*\}", source)), f"placeholders: {where}"
        text.format(**{k: "x" for k in re.findall(r"\{(\w+)\}", source)})  # formats as the code will
        if re.search(r"&\w", source):
            assert len(re.findall(r"&\w", text)) == 1, f"one menu accelerator expected: {where}"
        for token in ("●", "■", "(*.h5 *.hdf5)", ";;", "csm repair"):
            assert (token in source) == (token in text), f"{token!r} kept: {where}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_is_the_one_built_from_the_sources(lang, tmp_path):
    out = tmp_path / f"csm_{lang}.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(UI / "translations" / f"csm_{lang}.ts"), "-qm",
                    str(out)], check=True, capture_output=True)
    assert out.read_bytes() == i18n.catalogue(lang).read_bytes(), "run `make translations` and commit the .qm"


def test_english_needs_no_catalogue(qapp):
    assert i18n.install(qapp, "en") == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_window_opens_in_the_chosen_language(qtbot, qapp, tmp_path, lang):
    from carbon_smart_meter.calibration.store import CalibrationStore
    from carbon_smart_meter.settings import Settings
    from carbon_smart_meter.ui.main_window import MainWindow

    catalogue = _messages(UI / "translations" / f"csm_{lang}.ts")
    translators = i18n.install(qapp, lang)
    try:
        assert len(translators) == 2  # ours and Qt's own (standard buttons of dialogs)
        win = MainWindow(Settings(data_dir=str(tmp_path / "data"), language=lang), settings_path=tmp_path / "s.toml",
                         calibrations=CalibrationStore(tmp_path / "cal"))
        qtbot.addWidget(win)
        menus = [a.text() for a in win.menuBar().actions()]
        assert menus == [catalogue[("MainWindow", "&File")].text, catalogue[("MainWindow", "&Devices")].text]
        assert win.devices.record_button.text() == catalogue[("DevicePanel", "● Record")].text
        assert win.devices.table.horizontalHeaderItem(0).text() == catalogue[("DevicePanel", "Device")].text
        assert not win.start_recording()  # a message with no placeholder, from the log
        assert win.log.messages()[-1] == catalogue[
            ("MainWindow", "no device to record: connect an adapter or add a simulator first")].text
        source = win.add_simulator(rate=500)
        qtbot.waitUntil(lambda: win.devices.state_of(source) == "connected", timeout=5000)
        row = win.devices.rows[source]
        assert win.devices.table.item(row, 2).text() == catalogue[("DevicePanel", "connected")].text
        box = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text() not in ("Cancel", "&Cancel")  # Qt's own catalogue is loaded too
        win.shutdown()
    finally:
        i18n.uninstall(qapp, translators)
