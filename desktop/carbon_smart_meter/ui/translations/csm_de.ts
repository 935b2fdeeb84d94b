<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ClaimsPanel</name>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Binding</source>
        <translation>Bindung</translation>
    </message>
    <message>
        <source>Newest checkpoint</source>
        <translation>Neuester Checkpoint</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Pending Wh</source>
        <translation>Offene Wh</translation>
    </message>
    <message>
        <source>Paid (base units)</source>
        <translation>Ausgezahlt (Basiseinheiten)</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Letzter Versuch</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>bound on chain</source>
        <translation>auf der Chain gebunden</translation>
    </message>
    <message>
        <source>signed, waits for a link</source>
        <translation>signiert, wartet auf Verbindung</translation>
    </message>
    <message>
        <source>bound elsewhere</source>
        <translation>anderswo gebunden</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>waiting (refused for now)</source>
        <translation>wartet (vorerst abgelehnt)</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>ausgezahlt</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>abgegolten</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>cannot read the claims outbox: {error}</source>
        <translation>Der Claims-Ausgang ist nicht lesbar: {error}</translation>
    </message>
    <message>
        <source>not bound: use csm bind</source>
        <translation>nicht gebunden: csm bind verwenden</translation>
    </message>
    <message>
        <source>Claims sync is off: {why}</source>
        <translation>Claims-Synchronisierung ist aus: {why}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>Letzte Synchronisierung: {when}</translation>
    </message>
    <message>
        <source>no link or refused: {error}</source>
        <translation>keine Verbindung oder abgelehnt: {error}</translation>
    </message>
    <message>
        <source>next attempt in {seconds} s</source>
        <translation>nächster Versuch in {seconds} s</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Aufzeichnen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Abtastrate</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Abtastwerte</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Corrupt</source>
        <translation>Fehlerhaft</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>Neuverbindungen</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>wird verbunden</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>wird neu verbunden</translation>
    </message>
    <message>
        <source>port missing</source>
        <translation>Port fehlt</translation>
    </message>
    <message>
        <source>waiting for device info</source>
        <translation>warte auf Geräteinfo</translation>
    </message>
    <message>
        <source>the device has not introduced itself yet</source>
        <translation>das Gerät hat sich noch nicht gemeldet</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>{problem}. Samples are recorded on factory scales, flagged.</source>
        <translation>{problem}. Abtastwerte werden mit Werksskalierung aufgezeichnet und markiert.</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>unkalibriert</translation>
    </message>
    <message>
        <source>{description}. Figures are indicative.</source>
        <translation>{description}. Die Werte sind nur Richtwerte.</translation>
    </message>
    <message>
        <source>expires in {days} d</source>
        <translation>läuft in {days} d ab</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>gültig bis {date}</translation>
    </message>
    <message>
        <source>no sample lost: every sample the device sent arrived</source>
        <translation>kein Messwert verloren: jeder gesendete Messwert ist angekommen</translation>
    </message>
    <message>
        <source>{lost} samples lost ({share} of {total}): the device sent them but they never arrived (its buffer overflowed, the cable was pulled or frames were damaged); the Log says when</source>
        <translation>{lost} Messwerte verloren ({share} von {total}): das Gerät hat sie gesendet, sie sind aber nie angekommen (Sendepuffer übergelaufen, Kabel gezogen oder Rahmen beschädigt); das Protokoll sagt, wann</translation>
    </message>
    <message>
        <source>■ Stop recording</source>
        <translation>■ Aufzeichnung beenden</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● Aufzeichnen</translation>
    </message>
    <message>
        <source>/dev/ttyACM0 or COM3</source>
        <translation>/dev/ttyACM0 oder COM3</translation>
    </message>
    <message>
        <source>Connect port</source>
        <translation>Port verbinden</translation>
    </message>
    <message>
        <source>Add simulator</source>
        <translation>Simulator hinzufügen</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Record every connected device, each into its own session file; tick a device&apos;s Record box to record only some</source>
        <translation>Alle verbundenen Geräte aufzeichnen, jedes in eine eigene Sitzungsdatei; um nur einzelne aufzuzeichnen, beim Gerät das Kästchen „Aufzeichnen“ ankreuzen</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>keine Aufzeichnung</translation>
    </message>
    <message>
        <source>Adapters and running `csm simulate` devices found on this computer; or type any serial port or URL</source>
        <translation>Gefundene Adapter und laufende `csm simulate`-Geräte auf diesem Computer; oder beliebigen seriellen Port bzw. URL eingeben</translation>
    </message>
    <message>
        <source>record this device into its own session file</source>
        <translation>dieses Gerät in eine eigene Sitzungsdatei aufzeichnen</translation>
    </message>
</context>
<context>
    <name>EnergyPanel</name>
    <message>
        <source>{label}
factor {factor} {unit} ({method}, {level})
dataset {dataset} {version}, year {year}, region {region}
licence {licence}</source>
        <translation>{label}
Faktor {factor} {unit} ({method}, {level})
Datensatz {dataset} {version}, Jahr {year}, Region {region}
Lizenz {licence}</translation>
    </message>
    <message>
        <source>FLAGGED: world average, set your region</source>
        <translation>MARKIERT: Weltdurchschnitt, bitte Region festlegen</translation>
    </message>
    <message>
        <source>no emission factor: {problem}</source>
        <translation>kein Emissionsfaktor: {problem}</translation>
    </message>
    <message>
        <source>below the minimum claim of {min_claim_mwh} mWh; it stays claimable later</source>
        <translation>unter dem Mindestanspruch von {min_claim_mwh} mWh; bleibt später einlösbar</translation>
    </message>
    <message>
        <source>over the daily cap for the panel&apos;s rating</source>
        <translation>über der Tagesgrenze für die Nennleistung des Moduls</translation>
    </message>
    <message>
        <source>halving era {era}; later eras pay less</source>
        <translation>Halbierungsära {era}; spätere Ären zahlen weniger</translation>
    </message>
    <message>
        <source>within the cap of {cap_mwh} mWh for {elapsed_s} s</source>
        <translation>innerhalb der Grenze von {cap_mwh} mWh für {elapsed_s} s</translation>
    </message>
    <message>
        <source>the deployment&apos;s payout parameters change soon</source>
        <translation>die Auszahlungsparameter der Bereitstellung ändern sich bald</translation>
    </message>
    <message>
        <source>the deployment could not be read; the price table is used meanwhile</source>
        <translation>die Bereitstellung war nicht lesbar; bis dahin gilt die Preistabelle</translation>
    </message>
    <message>
        <source>dated in the future: check the device clock</source>
        <translation>in der Zukunft datiert: Uhr des Geräts prüfen</translation>
    </message>
    <message>
        <source>the device was revoked</source>
        <translation>das Gerät wurde gesperrt</translation>
    </message>
    <message>
        <source>the device is not bound to a wallet yet</source>
        <translation>das Gerät ist noch an keine Wallet gebunden</translation>
    </message>
    <message>
        <source>the device is not registered on the chain</source>
        <translation>das Gerät ist auf der Chain nicht registriert</translation>
    </message>
    <message>
        <source>too early after the last claim</source>
        <translation>zu früh nach der letzten Forderung</translation>
    </message>
    <message>
        <source>below threshold</source>
        <translation>unter der Schwelle</translation>
    </message>
    <message>
        <source>over cap</source>
        <translation>über der Grenze</translation>
    </message>
    <message>
        <source>parameters of the deployment</source>
        <translation>Parameter der Bereitstellung</translation>
    </message>
    <message>
        <source>price table {detail}</source>
        <translation>Preistabelle {detail}</translation>
    </message>
    <message>
        <source>default payout parameters</source>
        <translation>Standard-Auszahlungsparameter</translation>
    </message>
    <message>
        <source>Power now</source>
        <translation>Leistung jetzt</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>Diese Sitzung</translation>
    </message>
    <message>
        <source>waiting for the device</source>
        <translation>warte auf das Gerät</translation>
    </message>
    <message>
        <source>{tokens} tokens (preview)</source>
        <translation>{tokens} Token (Vorschau)</translation>
    </message>
    <message>
        <source>not claimable yet ({reason})</source>
        <translation>noch nicht einlösbar ({reason})</translation>
    </message>
    <message>
        <source>reward: {tokens} base units for {mwh} mWh, {source}</source>
        <translation>Belohnung: {tokens} Basiseinheiten für {mwh} mWh, {source}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>No device yet: Add simulator, or choose an adapter and press Connect port</source>
        <translation>Noch kein Gerät: Simulator hinzufügen, oder einen Adapter wählen und Port verbinden drücken</translation>
    </message>
    <message>
        <source>Now {power}   ·   Today {today}   ·   This session {session}</source>
        <translation>Jetzt {power}   ·   Heute {today}   ·   Diese Sitzung {session}</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>Energie</translation>
    </message>
    <message>
        <source>Avoided CO₂ (estimate)</source>
        <translation>Vermiedenes CO₂ (Schätzung)</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>Belohnung</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>every sample</source>
        <translation>alle Abtastwerte</translation>
    </message>
    <message>
        <source>1 s means</source>
        <translation>1-s-Mittelwerte</translation>
    </message>
    <message>
        <source>10 s means</source>
        <translation>10-s-Mittelwerte</translation>
    </message>
    <message>
        <source>1 min means</source>
        <translation>1-min-Mittelwerte</translation>
    </message>
    <message>
        <source>15 min means</source>
        <translation>15-min-Mittelwerte</translation>
    </message>
    <message>
        <source>Export session</source>
        <translation>Sitzung exportieren</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>CSV (spreadsheet)</source>
        <translation>CSV (Tabellenkalkulation)</translation>
    </message>
    <message>
        <source>Parquet (pandas, R, Arrow)</source>
        <translation>Parquet (pandas, R, Arrow)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>from the start (ISO 8601 UTC or seconds after the first sample)</source>
        <translation>ab Beginn (ISO 8601 UTC oder Sekunden nach dem ersten Abtastwert)</translation>
    </message>
    <message>
        <source>to the end</source>
        <translation>bis zum Ende</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Session file</source>
        <translation>Sitzungsdatei</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Ausgabedatei</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Neu abtasten</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Sitzungsdateien (*.h5 *.hdf5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose a session file to export (Browse…).</source>
        <translation>Wählen Sie eine Sitzungsdatei zum Exportieren (Durchsuchen…).</translation>
    </message>
    <message>
        <source>Choose a session file to export ({path} does not exist).</source>
        <translation>Sitzungsdatei zum Exportieren auswählen ({path} existiert nicht).</translation>
    </message>
    <message>
        <source>Choose where to write the export (Save as…).</source>
        <translation>Wählen Sie, wohin exportiert wird (Speichern unter…).</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist; choose another output file.</source>
        <translation>Der Ordner {folder} existiert nicht; wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <source>{path} already exists; choose another output file (nothing is overwritten).</source>
        <translation>{path} existiert bereits; andere Ausgabedatei wählen (es wird nichts überschrieben).</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}.</source>
        <translation>{rows} Zeilen nach {path} exportiert.</translation>
    </message>
    <message>
        <source>Export failed: {problem}</source>
        <translation>Export fehlgeschlagen: {problem}</translation>
    </message>
    <message>
        <source>Export cancelled; the partial file was removed.</source>
        <translation>Export abgebrochen; die unvollständige Datei wurde entfernt.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Wird exportiert…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>Station {number}</source>
        <translation>Station {number}</translation>
    </message>
    <message>
        <source>Today {energy}</source>
        <translation>Heute {energy}</translation>
    </message>
    <message>
        <source>{co2} CO₂ avoided*</source>
        <translation>{co2} CO₂ vermieden*</translation>
    </message>
    <message>
        <source>≈ {count} phone charges</source>
        <translation>≈ {count} Handyladungen</translation>
    </message>
    <message>
        <source>{tokens} reward tokens</source>
        <translation>{tokens} Belohnungs-Token</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● live</translation>
    </message>
    <message>
        <source>not reporting</source>
        <translation>meldet nichts</translation>
    </message>
    <message>
        <source>Stopped reporting {ago} ago</source>
        <translation>Seit {ago} keine Daten</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>Not connected: check the cable</source>
        <translation>Nicht verbunden: Kabel prüfen</translation>
    </message>
    <message>
        <source>Since {date}: {energy} of solar power · {co2} CO₂ avoided (estimate) · ≈ {count} phone charges</source>
        <translation>Seit {date}: {energy} Solarstrom · {co2} CO₂ vermieden (Schätzung) · ≈ {count} Handyladungen</translation>
    </message>
    <message>
        <source>Figures paused: {problem}</source>
        <translation>Zahlen angehalten: {problem}</translation>
    </message>
    <message>
        <source>* Estimate, not an offset or certified credit: tap a station for the source. One phone charge = {wh} Wh.</source>
        <translation>* Schätzung, keine Kompensation und kein zertifiziertes Guthaben: Station antippen für die Quelle. Eine Handyladung = {wh} Wh.</translation>
    </message>
    <message>
        <source>No CO₂ factor is available: {problem}</source>
        <translation>Kein CO₂-Faktor verfügbar: {problem}</translation>
    </message>
    <message>
        <source>{factor} g CO₂e per kWh for {region} ({note}). Source: {dataset}, {year}, licence {licence}. Method: {method}. This is an estimate of the emissions avoided by using solar power instead of the grid, not an offset or a certified credit.</source>
        <translation>{factor} g CO₂e pro kWh für {region} ({note}). Quelle: {dataset}, {year}, Lizenz {licence}. Methode: {method}. Das ist eine Schätzung der Emissionen, die Solarstrom statt Netzstrom vermeidet, keine Kompensation und kein zertifiziertes Guthaben.</translation>
    </message>
    <message>
        <source>Waiting for the recording service…</source>
        <translation>Warte auf den Aufzeichnungsdienst …</translation>
    </message>
    <message>
        <source>No charging station is connected yet.</source>
        <translation>Noch keine Ladestation verbunden.</translation>
    </message>
    <message>
        <source>Since {date} these panels have produced {energy} and avoided about {co2} of CO₂ (estimate).</source>
        <translation>Seit {date} haben diese Module {energy} erzeugt und etwa {co2} CO₂ vermieden (Schätzung).</translation>
    </message>
    <message>
        <source>The sun is resting</source>
        <translation>Die Sonne ruht</translation>
    </message>
    <message>
        <source>Touch the screen to see the charging stations.</source>
        <translation>Bildschirm berühren, um die Ladestationen zu sehen.</translation>
    </message>
    <message>
        <source>Where the CO₂ figure comes from</source>
        <translation>Woher die CO₂-Zahl stammt</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>No staff PIN is set. On this machine run: csm kiosk --set-pin</source>
        <translation>Keine Personal-PIN gesetzt. Auf diesem Gerät ausführen: csm kiosk --set-pin</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>Personal-PIN</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Service: {profile} profile, process {pid}, data in {data_dir}</source>
        <translation>Dienst: Profil {profile}, Prozess {pid}, Daten in {data_dir}</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Kiosk beenden</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Too many wrong tries: wait {seconds} s</source>
        <translation>Zu viele Fehlversuche: {seconds} s warten</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>Falsche PIN</translation>
    </message>
    <message>
        <source>Rewards claimed up to {time}</source>
        <translation>Belohnungen abgerufen bis {time}</translation>
    </message>
    <message>
        <source>{energy} to claim · next sync in {wait}</source>
        <translation>{energy} offen · Abgleich in {wait}</translation>
    </message>
    <message>
        <source>{energy} to claim at the next sync</source>
        <translation>{energy} offen bis zum Abgleich</translation>
    </message>
    <message>
        <source>{energy} waiting for a link — kept safe</source>
        <translation>{energy} gesichert, ohne Verbindung</translation>
    </message>
    <message>
        <source>Rewards paused — energy kept safe</source>
        <translation>Belohnungen pausiert, Energie gesichert</translation>
    </message>
    <message>
        <source>Rewards not set up yet</source>
        <translation>Belohnungen noch nicht eingerichtet</translation>
    </message>
    <message>
        <source>Claims sync: last {last}, next {next}</source>
        <translation>Abgleich der Ansprüche: zuletzt {last}, nächster {next}</translation>
    </message>
    <message>
        <source>{ago} ago</source>
        <translation>vor {ago}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>in {wait}</source>
        <translation>in {wait}</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>Last sync failed: {error}</source>
        <translation>Letzter Abgleich fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>{line}: {error}</source>
        <translation>{line}: {error}</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <source>unexpected {kind}</source>
        <translation>unerwarteter Fehler ({kind})</translation>
    </message>
    <message>
        <source>the device restarted ({reason}; boot {boot}): counters start again</source>
        <translation>das Gerät ist neu gestartet ({reason}; Start {boot}): die Zähler beginnen von vorn</translation>
    </message>
    <message>
        <source>the device&apos;s supply dropped to {arg0} mV</source>
        <translation>die Versorgung des Geräts fiel auf {arg0} mV</translation>
    </message>
    <message>
        <source>over-current at sample {arg1}: check the wiring</source>
        <translation>Überstrom bei Messwert {arg1}: Verkabelung prüfen</translation>
    </message>
    <message>
        <source>the device&apos;s case was opened (switch {arg0})</source>
        <translation>das Gehäuse des Geräts wurde geöffnet (Schalter {arg0})</translation>
    </message>
    <message>
        <source>the device dropped {arg0} frames ({arg1} bytes) because this computer did not read them in time: those samples are lost</source>
        <translation>das Gerät hat {arg0} Rahmen ({arg1} Bytes) verworfen, weil dieser Computer sie nicht rechtzeitig gelesen hat: diese Messwerte sind verloren</translation>
    </message>
    <message>
        <source>the device set its clock from this computer&apos;s time</source>
        <translation>das Gerät hat seine Uhr nach diesem Computer gestellt</translation>
    </message>
    <message>
        <source>the sample rate changed from {arg1} Hz to {arg0} Hz</source>
        <translation>die Abtastrate änderte sich von {arg1} Hz auf {arg0} Hz</translation>
    </message>
    <message>
        <source>the device reports a sensor fault (code {arg0})</source>
        <translation>das Gerät meldet einen Sensorfehler (Code {arg0})</translation>
    </message>
    <message>
        <source>the device&apos;s two energy counters disagree: sensor {arg0} mWh, firmware {arg1} mWh</source>
        <translation>die beiden Energiezähler des Geräts weichen ab: Sensor {arg0} mWh, Firmware {arg1} mWh</translation>
    </message>
    <message>
        <source>power on</source>
        <translation>Einschalten</translation>
    </message>
    <message>
        <source>watchdog</source>
        <translation>Watchdog</translation>
    </message>
    <message>
        <source>brown-out</source>
        <translation>Unterspannung</translation>
    </message>
    <message>
        <source>software</source>
        <translation>Software</translation>
    </message>
    <message>
        <source>reset pin</source>
        <translation>Reset-Pin</translation>
    </message>
    <message>
        <source>device reports {name} (arguments {arg0}, {arg1})</source>
        <translation>Gerät meldet {name} (Argumente {arg0}, {arg1})</translation>
    </message>
    <message>
        <source>the window fell behind and skipped {kinds} (display only; recording unaffected)</source>
        <translation>das Fenster kam nicht hinterher und hat {kinds} übersprungen (nur Anzeige; Aufzeichnung nicht betroffen)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>window ready in {seconds} s</source>
        <translation>Fenster bereit nach {seconds} s</translation>
    </message>
    <message>
        <source>Carbon Smart Meter — {profile}</source>
        <translation>Carbon Smart Meter — {profile}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Pause to scroll and zoom with the mouse; Follow returns to live data</source>
        <translation>„Pause“, um mit der Maus zu scrollen und zu zoomen; „Folgen“ kehrt zu den Live-Daten zurück</translation>
    </message>
    <message>
        <source>From zero</source>
        <translation>Ab null</translation>
    </message>
    <message>
        <source>Show the value axes from zero instead of fitted to the data (which makes noise look like swings)</source>
        <translation>Die Werteachsen ab null zeigen statt an die Daten angepasst (was Rauschen wie Schwankungen aussehen lässt)</translation>
    </message>
    <message>
        <source>Note, e.g. &apos;panel re-angled&apos; — Enter adds it at the current time</source>
        <translation>Notiz, z. B. „Panel neu ausgerichtet“ — Enter fügt sie zur aktuellen Zeit hinzu</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Session details…</source>
        <translation>Sitzungsdetails…</translation>
    </message>
    <message>
        <source>Site, operator and panel, stored in every file recorded from now on</source>
        <translation>Standort, Bedienperson und Modul, gespeichert in jeder ab jetzt aufgezeichneten Datei</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Zeitfenster</translation>
    </message>
    <message>
        <source>Energy / CO₂ / reward</source>
        <translation>Energie / CO₂ / Belohnung</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Claims</translation>
    </message>
    <message>
        <source>no devices</source>
        <translation>keine Geräte</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>keine Aufzeichnung</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open session for review…</source>
        <translation>Sitzung zur &amp;Auswertung öffnen…</translation>
    </message>
    <message>
        <source>&amp;Export session…</source>
        <translation>Sitzung e&amp;xportieren…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Devices</source>
        <translation>&amp;Geräte</translation>
    </message>
    <message>
        <source>Add &amp;simulator</source>
        <translation>&amp;Simulator hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Record all / stop</source>
        <translation>&amp;Alle aufzeichnen / stoppen</translation>
    </message>
    <message>
        <source>Session &amp;details…</source>
        <translation>Sitzungs&amp;details…</translation>
    </message>
    <message>
        <source>Write a &amp;note</source>
        <translation>&amp;Notiz schreiben</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Folgen</translation>
    </message>
    <message>
        <source>could not start the simulator: {problem}</source>
        <translation>Simulator konnte nicht gestartet werden: {problem}</translation>
    </message>
    <message>
        <source>cannot list serial ports: {problem}</source>
        <translation>serielle Ports können nicht aufgelistet werden: {problem}</translation>
    </message>
    <message>
        <source>found {description} on {port}: choose it and press Connect port</source>
        <translation>{description} an {port} gefunden: auswählen und „Port verbinden“ drücken</translation>
    </message>
    <message>
        <source>type a serial port (e.g. /dev/ttyACM0) or choose one first</source>
        <translation>zuerst einen seriellen Port eingeben (z. B. /dev/ttyACM0) oder auswählen</translation>
    </message>
    <message>
        <source>could not open {port}: {problem}</source>
        <translation>{port} konnte nicht geöffnet werden: {problem}</translation>
    </message>
    <message>
        <source>{source} disconnected by the user</source>
        <translation>{source} vom Benutzer getrennt</translation>
    </message>
    <message>
        <source>no device to record: connect an adapter or add a simulator first</source>
        <translation>kein Gerät zum Aufzeichnen: zuerst einen Adapter anschließen oder einen Simulator hinzufügen</translation>
    </message>
    <message>
        <source>cannot record into {folder}: {problem}</source>
        <translation>Aufzeichnung in {folder} nicht möglich: {problem}</translation>
    </message>
    <message>
        <source>recording started into {folder}</source>
        <translation>Aufzeichnung in {folder} gestartet</translation>
    </message>
    <message>
        <source>Stop recording {n} device(s)?</source>
        <translation>Aufzeichnung von {n} Gerät(en) beenden?</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Aufzeichnung beenden</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <source>Each file is closed complete and stays readable; you can record again at any time, into new files.</source>
        <translation>Jede Datei wird vollständig geschlossen und bleibt lesbar; Sie können jederzeit erneut aufzeichnen, in neue Dateien.</translation>
    </message>
    <message>
        <source>Keep recording</source>
        <translation>Weiter aufzeichnen</translation>
    </message>
    <message>
        <source>no file (no device sent data)</source>
        <translation>keine Datei (kein Gerät hat Daten gesendet)</translation>
    </message>
    <message>
        <source>saved {files}</source>
        <translation>gespeichert: {files}</translation>
    </message>
    <message>
        <source>recording stopped: {files}</source>
        <translation>Aufzeichnung beendet: {files}</translation>
    </message>
    <message>
        <source>recording {n} of {total} device(s) into {folder}</source>
        <translation>{n} von {total} Gerät(en) werden in {folder} aufgezeichnet</translation>
    </message>
    <message>
        <source>● recording {n}</source>
        <translation>● Aufzeichnung: {n}</translation>
    </message>
    <message>
        <source>(not recording: shown only, not saved)</source>
        <translation>(keine Aufzeichnung: nur angezeigt, nicht gespeichert)</translation>
    </message>
    <message>
        <source>, latency p99 {ms} ms</source>
        <translation>, Latenz p99 {ms} ms</translation>
    </message>
    <message>
        <source>{n} device(s), {connected} connected</source>
        <translation>{n} Gerät(e), {connected} verbunden</translation>
    </message>
    <message>
        <source> — {n} samples lost, see Lost and Log</source>
        <translation> — {n} Messwerte verloren, siehe Verloren und Protokoll</translation>
    </message>
    <message>
        <source> — {n} error(s), see Log</source>
        <translation> — {n} Fehler, siehe Protokoll</translation>
    </message>
    <message>
        <source>claims: {n} waiting, sync off</source>
        <translation>Ansprüche: {n} wartend, Abgleich aus</translation>
    </message>
    <message>
        <source>claims: {n} waiting, offline</source>
        <translation>Ansprüche: {n} wartend, offline</translation>
    </message>
    <message>
        <source>claims: {n} waiting, {paid} paid</source>
        <translation>Ansprüche: {n} wartend, {paid} bezahlt</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Sitzungsdateien (*.h5 *.hdf5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>settings saved to {path}</source>
        <translation>Einstellungen in {path} gespeichert</translation>
    </message>
    <message>
        <source>settings not saved: {problem}</source>
        <translation>Einstellungen nicht gespeichert: {problem}</translation>
    </message>
    <message>
        <source>Quit and stop recording {n} device(s)?</source>
        <translation>Beenden und die Aufzeichnung von {n} Gerät(en) stoppen?</translation>
    </message>
    <message>
        <source>Stop recording and quit</source>
        <translation>Aufzeichnung beenden und schließen</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Add a note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>e.g. shade from the mast, panel cleaned</source>
        <translation>z. B. Schatten vom Mast, Modul gereinigt</translation>
    </message>
    <message>
        <source>Note at {time} (the orange cursor). It is saved beside {file} in {file}.notes.json; the session file itself is not changed.</source>
        <translation>Notiz bei {time} (der orange Cursor). Sie wird neben {file} in {file}.notes.json gespeichert; die Sitzungsdatei selbst bleibt unverändert.</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <source>Voltage</source>
        <translation>Spannung</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Strom</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Leistung</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Review</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <source>Open a session file (File ▸ Open session for review).</source>
        <translation>Sitzungsdatei öffnen (Datei ▸ Sitzung zur Auswertung öffnen).</translation>
    </message>
    <message>
        <source>Add note…</source>
        <translation>Notiz hinzufügen…</translation>
    </message>
    <message>
        <source>A note at the orange cursor (Ctrl+N)</source>
        <translation>Eine Notiz beim orangen Cursor (Strg+N)</translation>
    </message>
    <message>
        <source>Drag the two cursors on the power plot to measure.</source>
        <translation>Zum Messen die beiden Cursor im Leistungsdiagramm verschieben.</translation>
    </message>
    <message>
        <source>Follow the file while it is written</source>
        <translation>Datei während des Schreibens mitverfolgen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Review — {name}</source>
        <translation>Auswertung — {name}</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>kalibriert</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>unkalibriert</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Cannot open {name}: {problem}. If the recording was interrupted, `csm repair {name}` may recover what was flushed.</source>
        <translation>{name} kann nicht geöffnet werden: {problem}. Wurde die Aufzeichnung unterbrochen, kann `csm repair {name}` die bereits geschriebenen Daten wiederherstellen.</translation>
    </message>
    <message>
        <source>No session loaded.</source>
        <translation>Keine Sitzung geladen.</translation>
    </message>
    <message>
        <source>{name} is still being written or was not closed cleanly: showing everything flushed so far.</source>
        <translation>{name} wird noch geschrieben oder wurde nicht sauber geschlossen: alle bisher geschriebenen Daten werden angezeigt.</translation>
    </message>
    <message>
        <source>the file holds no samples yet</source>
        <translation>die Datei enthält noch keine Abtastwerte</translation>
    </message>
    <message>
        <source>&lt;b&gt;{source}&lt;/b&gt; device {address} · {start} · {duration} · {samples} samples · calibration: {status}</source>
        <translation>&lt;b&gt;{source}&lt;/b&gt; Gerät {address} · {start} · {duration} · {samples} Abtastwerte · Kalibrierung: {status}</translation>
    </message>
    <message>
        <source>computing overview…</source>
        <translation>Übersicht wird berechnet…</translation>
    </message>
    <message>
        <source>Overview not available: {problem}</source>
        <translation>Übersicht nicht verfügbar: {problem}</translation>
    </message>
    <message>
        <source>(added in review)</source>
        <translation>(in der Auswertung hinzugefügt)</translation>
    </message>
    <message>
        <source>Between cursors: duration {duration} · energy {energy} · mean power {power} · {samples} samples</source>
        <translation>Zwischen den Cursorn: Dauer {duration} · Energie {energy} · mittlere Leistung {power} · {samples} Abtastwerte</translation>
    </message>
    <message>
        <source>Stopped following {name}: {problem}</source>
        <translation>Mitverfolgen von {name} beendet: {problem}</translation>
    </message>
    <message>
        <source>This file is still being recorded: write notes in the logger window&apos;s note field, which stores them in the file; here once it is closed.</source>
        <translation>Diese Datei wird noch aufgezeichnet: Notizen im Notizfeld des Logger-Fensters schreiben, das sie in der Datei speichert; hier, sobald sie geschlossen ist.</translation>
    </message>
    <message>
        <source>Note not saved: {problem}</source>
        <translation>Notiz nicht gespeichert: {problem}</translation>
    </message>
</context>
<context>
    <name>SessionDetails</name>
    <message>
        <source>No session details (recorded before they existed).</source>
        <translation>Keine Sitzungsdetails (aufgezeichnet, bevor es sie gab).</translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation>Standort: {site}</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>Bedienperson: {name}</translation>
    </message>
    <message>
        <source>Location: {lat}°, {lon}°</source>
        <translation>Ort: {lat}°, {lon}°</translation>
    </message>
    <message>
        <source>Tilt: {deg}°</source>
        <translation>Neigung: {deg}°</translation>
    </message>
    <message>
        <source>Azimuth: {deg}° from north</source>
        <translation>Azimut: {deg}° ab Nord</translation>
    </message>
    <message>
        <source>Panel: {watts} W</source>
        <translation>Modul: {watts} W</translation>
    </message>
    <message>
        <source>No session details were entered.</source>
        <translation>Es wurden keine Sitzungsdetails eingegeben.</translation>
    </message>
    <message>
        <source>Session details</source>
        <translation>Sitzungsdetails</translation>
    </message>
    <message>
        <source>0 = flat, 90 = vertical</source>
        <translation>0 = waagerecht, 90 = senkrecht</translation>
    </message>
    <message>
        <source>clockwise from north: 90 east, 180 south</source>
        <translation>im Uhrzeigersinn ab Nord: 90 Ost, 180 Süd</translation>
    </message>
    <message>
        <source>if known</source>
        <translation>falls bekannt</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Stored in every session file recorded from now on; files being written keep the details they started with.</source>
        <translation>Wird in jeder ab jetzt aufgezeichneten Sitzungsdatei gespeichert; laufende Dateien behalten die Details, mit denen sie begonnen haben.</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Bedienperson</translation>
    </message>
    <message>
        <source>Latitude (°)</source>
        <translation>Breitengrad (°)</translation>
    </message>
    <message>
        <source>Longitude (°)</source>
        <translation>Längengrad (°)</translation>
    </message>
    <message>
        <source>Panel tilt (°)</source>
        <translation>Modulneigung (°)</translation>
    </message>
    <message>
        <source>Panel azimuth (°)</source>
        <translation>Modulazimut (°)</translation>
    </message>
    <message>
        <source>Panel rating (W)</source>
        <translation>Modulnennleistung (W)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>Breitengrad</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>Längengrad</translation>
    </message>
    <message>
        <source>panel tilt</source>
        <translation>Modulneigung</translation>
    </message>
    <message>
        <source>panel azimuth</source>
        <translation>Modulazimut</translation>
    </message>
    <message>
        <source>panel rating</source>
        <translation>Modulnennleistung</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} ist keine Zahl</translation>
    </message>
    <message>
        <source>{name} {value} is outside {lo} .. {hi}</source>
        <translation>{name} {value} liegt außerhalb von {lo} .. {hi}</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>Nicht gespeichert: {problem}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>grid displacement (country average)</source>
        <translation>Verdrängung von Netzstrom (Landesdurchschnitt)</translation>
    </message>
    <message>
        <source>combined margin (your OM/BM)</source>
        <translation>Combined Margin (eigene OM/BM)</translation>
    </message>
    <message>
        <source>off-grid diesel generator</source>
        <translation>Dieselgenerator (netzunabhängig)</translation>
    </message>
    <message>
        <source>off-grid kerosene</source>
        <translation>Kerosin (netzunabhängig)</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>Ortszeit</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>light</source>
        <translation>hell</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>dunkel</translation>
    </message>
    <message>
        <source>logger (field laptop)</source>
        <translation>Logger (Feld-Laptop)</translation>
    </message>
    <message>
        <source>kiosk (public screen)</source>
        <translation>Kiosk (öffentlicher Bildschirm)</translation>
    </message>
    <message>
        <source>ship (offline for weeks)</source>
        <translation>Schiff (wochenlang offline)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>country code, e.g. DE, KE; empty = from location</source>
        <translation>Ländercode, z. B. DE, KE; leer = aus dem Standort</translation>
    </message>
    <message>
        <source>unknown (used for the clear-sky plausibility check)</source>
        <translation>unbekannt (für die Plausibilitätsprüfung bei klarem Himmel)</translation>
    </message>
    <message>
        <source>Theme, language, units and time axis apply at once; recordings carry on. A new data directory or profile applies from the next start.</source>
        <translation>Design, Sprache, Einheiten und Zeitachse gelten sofort; laufende Aufzeichnungen gehen weiter. Ein neues Datenverzeichnis oder Profil gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>CO₂ method</source>
        <translation>CO₂-Methode</translation>
    </message>
    <message>
        <source>Latitude (°)</source>
        <translation>Breitengrad (°)</translation>
    </message>
    <message>
        <source>Longitude (°)</source>
        <translation>Längengrad (°)</translation>
    </message>
    <message>
        <source>Power unit</source>
        <translation>Leistungseinheit</translation>
    </message>
    <message>
        <source>Energy unit</source>
        <translation>Energieeinheit</translation>
    </message>
    <message>
        <source>Time axis</source>
        <translation>Zeitachse</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} ist keine Zahl</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>Breitengrad</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>Längengrad</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>Nicht gespeichert: {problem}</translation>
    </message>
</context>
</TS>
