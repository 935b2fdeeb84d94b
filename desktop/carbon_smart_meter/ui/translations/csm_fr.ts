<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>ClaimsPanel</name>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Binding</source>
        <translation>Liaison</translation>
    </message>
    <message>
        <source>Newest checkpoint</source>
        <translation>Dernier checkpoint</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Pending Wh</source>
        <translation>Wh en attente</translation>
    </message>
    <message>
        <source>Paid (base units)</source>
        <translation>Payé (unités de base)</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Dernière tentative</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>bound on chain</source>
        <translation>lié sur la chaîne</translation>
    </message>
    <message>
        <source>signed, waits for a link</source>
        <translation>signé, attend une connexion</translation>
    </message>
    <message>
        <source>bound elsewhere</source>
        <translation>lié ailleurs</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>waiting (refused for now)</source>
        <translation>en attente (refusé pour l’instant)</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>payé</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>réglé</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>cannot read the claims outbox: {error}</source>
        <translation>impossible de lire la file des réclamations : {error}</translation>
    </message>
    <message>
        <source>not bound: use csm bind</source>
        <translation>non lié : utilisez csm bind</translation>
    </message>
    <message>
        <source>Claims sync is off: {why}</source>
        <translation>La synchronisation des réclamations est désactivée : {why}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>Dernière synchronisation : {when}</translation>
    </message>
    <message>
        <source>no link or refused: {error}</source>
        <translation>pas de connexion ou refusé : {error}</translation>
    </message>
    <message>
        <source>next attempt in {seconds} s</source>
        <translation>prochaine tentative dans {seconds} s</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Fréquence</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Échantillons</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Perdus</translation>
    </message>
    <message>
        <source>Corrupt</source>
        <translation>Corrompus</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>Reconnexions</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Étalonnage</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>connexion en cours</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connecté</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>déconnecté</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconnexion en cours</translation>
    </message>
    <message>
        <source>port missing</source>
        <translation>port absent</translation>
    </message>
    <message>
        <source>waiting for device info</source>
        <translation>en attente des infos de l&apos;appareil</translation>
    </message>
    <message>
        <source>the device has not introduced itself yet</source>
        <translation>l&apos;appareil ne s&apos;est pas encore identifié</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <source>{problem}. Samples are recorded on factory scales, flagged.</source>
        <translation>{problem}. Les échantillons sont enregistrés avec les facteurs d&apos;échelle d&apos;usine et signalés.</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>non étalonné</translation>
    </message>
    <message>
        <source>{description}. Figures are indicative.</source>
        <translation>{description}. Valeurs indicatives.</translation>
    </message>
    <message>
        <source>expires in {days} d</source>
        <translation>expire dans {days} j</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>jusqu&apos;au {date}</translation>
    </message>
    <message>
        <source>■ Stop recording</source>
        <translation>■ Arrêter l&apos;enregistrement</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● Enregistrer</translation>
    </message>
    <message>
        <source>/dev/ttyACM0 or COM3</source>
        <translation>/dev/ttyACM0 ou COM3</translation>
    </message>
    <message>
        <source>Connect port</source>
        <translation>Connecter le port</translation>
    </message>
    <message>
        <source>Add simulator</source>
        <translation>Ajouter un simulateur</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnecter</translation>
    </message>
    <message>
        <source>Record every connected device, each into its own session file; tick a device&apos;s Record box to record only some</source>
        <translation>Enregistrer tous les appareils connectés, chacun dans son propre fichier de session&#xa0;; cocher la case Enregistrer d&apos;un appareil pour n&apos;en enregistrer que certains</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>pas d&apos;enregistrement</translation>
    </message>
    <message>
        <source>Adapters and running `csm simulate` devices found on this computer; or type any serial port or URL</source>
        <translation>Adaptateurs et appareils `csm simulate` en cours d’exécution trouvés sur cet ordinateur ; ou saisir un port série ou une URL</translation>
    </message>
    <message>
        <source>record this device into its own session file</source>
        <translation>enregistrer cet appareil dans son propre fichier de session</translation>
    </message>
    <message>
        <source>samples the device sent that never arrived (sequence gaps)</source>
        <translation>échantillons envoyés par l&apos;appareil mais jamais reçus (trous dans la séquence)</translation>
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
facteur {factor} {unit} ({method}, {level})
jeu de données {dataset} {version}, année {year}, région {region}
licence {licence}</translation>
    </message>
    <message>
        <source>FLAGGED: world average, set your region</source>
        <translation>SIGNALÉ&#xa0;: moyenne mondiale, définissez votre région</translation>
    </message>
    <message>
        <source>no emission factor: {problem}</source>
        <translation>aucun facteur d&apos;émission&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>below the minimum claim of {min_claim_mwh} mWh; it stays claimable later</source>
        <translation>sous le minimum réclamable de {min_claim_mwh} mWh ; reste réclamable plus tard</translation>
    </message>
    <message>
        <source>over the daily cap for the panel&apos;s rating</source>
        <translation>au-dessus du plafond journalier pour la puissance nominale du panneau</translation>
    </message>
    <message>
        <source>halving era {era}; later eras pay less</source>
        <translation>ère de division par deux {era} ; les ères suivantes paient moins</translation>
    </message>
    <message>
        <source>below threshold</source>
        <translation>sous le seuil</translation>
    </message>
    <message>
        <source>over cap</source>
        <translation>au-dessus du plafond</translation>
    </message>
    <message>
        <source>parameters of the deployment</source>
        <translation>paramètres du déploiement</translation>
    </message>
    <message>
        <source>price table {detail}</source>
        <translation>table de prix {detail}</translation>
    </message>
    <message>
        <source>default payout parameters</source>
        <translation>paramètres de paiement par défaut</translation>
    </message>
    <message>
        <source>waiting for the device</source>
        <translation>en attente de l&apos;appareil</translation>
    </message>
    <message>
        <source>{tokens} tokens (preview)</source>
        <translation>{tokens} jetons (aperçu)</translation>
    </message>
    <message>
        <source>not claimable yet ({reason})</source>
        <translation>pas encore réclamable ({reason})</translation>
    </message>
    <message>
        <source>reward: {tokens} base units for {mwh} mWh, {source}</source>
        <translation>récompense : {tokens} unités de base pour {mwh} mWh, {source}</translation>
    </message>
    <message>
        <source>Energy this session</source>
        <translation>Énergie de cette session</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>Énergie</translation>
    </message>
    <message>
        <source>Avoided CO₂ (estimate)</source>
        <translation>CO₂ évité (estimation)</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>Récompense</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>every sample</source>
        <translation>tous les échantillons</translation>
    </message>
    <message>
        <source>1 s means</source>
        <translation>moyennes sur 1 s</translation>
    </message>
    <message>
        <source>10 s means</source>
        <translation>moyennes sur 10 s</translation>
    </message>
    <message>
        <source>1 min means</source>
        <translation>moyennes sur 1 min</translation>
    </message>
    <message>
        <source>15 min means</source>
        <translation>moyennes sur 15 min</translation>
    </message>
    <message>
        <source>Export session</source>
        <translation>Exporter la session</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>CSV (spreadsheet)</source>
        <translation>CSV (tableur)</translation>
    </message>
    <message>
        <source>Parquet (pandas, R, Arrow)</source>
        <translation>Parquet (pandas, R, Arrow)</translation>
    </message>
    <message>
        <source>from the start (ISO 8601 UTC or seconds after the first sample)</source>
        <translation>depuis le début (ISO 8601 UTC ou secondes après le premier échantillon)</translation>
    </message>
    <message>
        <source>to the end</source>
        <translation>jusqu&apos;à la fin</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Session file</source>
        <translation>Fichier de session</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Fichier de sortie</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Rééchantillonner</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Fichiers de session (*.h5 *.hdf5);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose a session file to export ({path} does not exist).</source>
        <translation>Choisissez un fichier de session à exporter ({path} n&apos;existe pas).</translation>
    </message>
    <message>
        <source>{path} already exists; choose another output file (nothing is overwritten).</source>
        <translation>{path} existe déjà&#xa0;; choisissez un autre fichier de sortie (rien n&apos;est écrasé).</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}.</source>
        <translation>{rows} lignes exportées vers {path}.</translation>
    </message>
    <message>
        <source>Export failed: {problem}</source>
        <translation>Échec de l&apos;exportation&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>Export cancelled; the partial file was removed.</source>
        <translation>Exportation annulée&#xa0;; le fichier partiel a été supprimé.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportation…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <source>unexpected {kind}</source>
        <translation>{kind} inattendu</translation>
    </message>
    <message>
        <source>device reports {name} (arguments {arg0}, {arg1})</source>
        <translation>l&apos;appareil signale {name} (arguments {arg0}, {arg1})</translation>
    </message>
    <message>
        <source>the window fell behind and skipped {kinds} (display only; recording unaffected)</source>
        <translation>la fenêtre a pris du retard et a sauté {kinds} (affichage uniquement&#xa0;; enregistrement non affecté)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>window ready in {seconds} s</source>
        <translation>fenêtre prête en {seconds} s</translation>
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
        <translation>Pause pour défiler et zoomer à la souris&#xa0;; Suivre revient aux données en direct</translation>
    </message>
    <message>
        <source>Note, e.g. &apos;panel re-angled&apos; — Enter adds it at the current time</source>
        <translation>Note, p. ex. « panneau réorienté » — Entrée l&apos;ajoute à l&apos;heure actuelle</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <source>Energy / CO₂ / reward</source>
        <translation>Énergie / CO₂ / récompense</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Réclamations</translation>
    </message>
    <message>
        <source>no devices</source>
        <translation>aucun appareil</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>pas d&apos;enregistrement</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open session for review…</source>
        <translation>&amp;Ouvrir une session pour analyse…</translation>
    </message>
    <message>
        <source>&amp;Export session…</source>
        <translation>&amp;Exporter la session…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Devices</source>
        <translation>&amp;Appareils</translation>
    </message>
    <message>
        <source>Add &amp;simulator</source>
        <translation>Ajouter un &amp;simulateur</translation>
    </message>
    <message>
        <source>&amp;Record all / stop</source>
        <translation>&amp;Enregistrer tout / arrêter</translation>
    </message>
    <message>
        <source>Write a &amp;note</source>
        <translation>Écrire une &amp;note</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Suivre</translation>
    </message>
    <message>
        <source>could not start the simulator: {problem}</source>
        <translation>impossible de démarrer le simulateur&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>cannot list serial ports: {problem}</source>
        <translation>impossible de lister les ports série : {problem}</translation>
    </message>
    <message>
        <source>found {description} on {port}: choose it and press Connect port</source>
        <translation>{description} trouvé sur {port} : le choisir puis cliquer sur « Connecter le port »</translation>
    </message>
    <message>
        <source>type a serial port (e.g. /dev/ttyACM0) or choose one first</source>
        <translation>saisissez d&apos;abord un port série (p. ex. /dev/ttyACM0) ou choisissez-en un</translation>
    </message>
    <message>
        <source>could not open {port}: {problem}</source>
        <translation>impossible d&apos;ouvrir {port}&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>{source} disconnected by the user</source>
        <translation>{source} déconnecté par l&apos;utilisateur</translation>
    </message>
    <message>
        <source>no device to record: connect an adapter or add a simulator first</source>
        <translation>aucun appareil à enregistrer&#xa0;: connectez d&apos;abord un adaptateur ou ajoutez un simulateur</translation>
    </message>
    <message>
        <source>cannot record into {folder}: {problem}</source>
        <translation>impossible d&apos;enregistrer dans {folder}&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>recording started into {folder}</source>
        <translation>enregistrement démarré dans {folder}</translation>
    </message>
    <message>
        <source>no file (no device sent data)</source>
        <translation>aucun fichier (aucun appareil n&apos;a envoyé de données)</translation>
    </message>
    <message>
        <source>saved {files}</source>
        <translation>enregistré&#xa0;: {files}</translation>
    </message>
    <message>
        <source>recording stopped: {files}</source>
        <translation>enregistrement arrêté&#xa0;: {files}</translation>
    </message>
    <message>
        <source>recording {n} of {total} device(s) into {folder}</source>
        <translation>enregistrement de {n} appareil(s) sur {total} dans {folder}</translation>
    </message>
    <message>
        <source>● recording {n}</source>
        <translation>● enregistrement {n}</translation>
    </message>
    <message>
        <source>(not recording: shown only, not saved)</source>
        <translation>(pas d&apos;enregistrement&#xa0;: affiché uniquement, non sauvegardé)</translation>
    </message>
    <message>
        <source>, latency p99 {ms} ms</source>
        <translation>, latence p99 {ms} ms</translation>
    </message>
    <message>
        <source>{n} device(s), {connected} connected</source>
        <translation>{n} appareil(s), {connected} connecté(s)</translation>
    </message>
    <message>
        <source> — {n} error(s), see Log</source>
        <translation> — {n} erreur(s), voir le journal</translation>
    </message>
    <message>
        <source>claims: {n} waiting, sync off</source>
        <translation>réclamations : {n} en attente, synchronisation désactivée</translation>
    </message>
    <message>
        <source>claims: {n} waiting, offline</source>
        <translation>réclamations : {n} en attente, hors ligne</translation>
    </message>
    <message>
        <source>claims: {n} waiting, {paid} paid</source>
        <translation>réclamations : {n} en attente, {paid} payées</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Ouvrir une session</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Fichiers de session (*.h5 *.hdf5);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>settings saved to {path}</source>
        <translation>paramètres sauvegardés dans {path}</translation>
    </message>
    <message>
        <source>settings not saved: {problem}</source>
        <translation>paramètres non sauvegardés&#xa0;: {problem}</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <source>Voltage</source>
        <translation>Tension</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Courant</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Puissance</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Review</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Open a session file (File ▸ Open session for review).</source>
        <translation>Ouvrez un fichier de session (Fichier ▸ Ouvrir une session pour analyse).</translation>
    </message>
    <message>
        <source>Drag the two cursors on the power plot to measure.</source>
        <translation>Faites glisser les deux curseurs sur le graphique de puissance pour mesurer.</translation>
    </message>
    <message>
        <source>Follow the file while it is written</source>
        <translation>Suivre le fichier pendant son écriture</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Review — {name}</source>
        <translation>Analyse — {name}</translation>
    </message>
    <message>
        <source>Cannot open {name}: {problem}. If the recording was interrupted, `csm repair {name}` may recover what was flushed.</source>
        <translation>Impossible d&apos;ouvrir {name}&#xa0;: {problem}. Si l&apos;enregistrement a été interrompu, `csm repair {name}` peut récupérer ce qui a déjà été écrit sur le disque.</translation>
    </message>
    <message>
        <source>No session loaded.</source>
        <translation>Aucune session chargée.</translation>
    </message>
    <message>
        <source>{name} is still being written or was not closed cleanly: showing everything flushed so far.</source>
        <translation>{name} est encore en cours d&apos;écriture ou n&apos;a pas été fermé correctement&#xa0;: affichage de tout ce qui a été écrit jusqu&apos;ici.</translation>
    </message>
    <message>
        <source>the file holds no samples yet</source>
        <translation>le fichier ne contient encore aucun échantillon</translation>
    </message>
    <message>
        <source>&lt;b&gt;{source}&lt;/b&gt; device {address} · {start} · {duration} · {samples} samples · calibration: {status}</source>
        <translation>&lt;b&gt;{source}&lt;/b&gt; appareil {address} · {start} · {duration} · {samples} échantillons · étalonnage&#xa0;: {status}</translation>
    </message>
    <message>
        <source>computing overview…</source>
        <translation>calcul de la vue d&apos;ensemble…</translation>
    </message>
    <message>
        <source>Overview not available: {problem}</source>
        <translation>Vue d&apos;ensemble indisponible&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>Between cursors: duration {duration} · energy {energy} · mean power {power} · {samples} samples</source>
        <translation>Entre les curseurs&#xa0;: durée {duration} · énergie {energy} · puissance moyenne {power} · {samples} échantillons</translation>
    </message>
    <message>
        <source>Stopped following {name}: {problem}</source>
        <translation>Suivi de {name} arrêté&#xa0;: {problem}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>grid displacement (country average)</source>
        <translation>substitution au réseau (moyenne nationale)</translation>
    </message>
    <message>
        <source>combined margin (your OM/BM)</source>
        <translation>marge combinée (vos OM/BM)</translation>
    </message>
    <message>
        <source>off-grid diesel generator</source>
        <translation>groupe électrogène diesel hors réseau</translation>
    </message>
    <message>
        <source>off-grid kerosene</source>
        <translation>kérosène hors réseau</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>heure locale</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>light</source>
        <translation>clair</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>sombre</translation>
    </message>
    <message>
        <source>logger (field laptop)</source>
        <translation>enregistreur (portable de terrain)</translation>
    </message>
    <message>
        <source>kiosk (public screen)</source>
        <translation>borne (écran public)</translation>
    </message>
    <message>
        <source>ship (offline for weeks)</source>
        <translation>navire (hors ligne pendant des semaines)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>country code, e.g. DE, KE; empty = from location</source>
        <translation>code pays, p. ex. DE, KE&#xa0;; vide = d&apos;après la position</translation>
    </message>
    <message>
        <source>unknown (used for the clear-sky plausibility check)</source>
        <translation>inconnue (sert au contrôle de plausibilité par ciel clair)</translation>
    </message>
    <message>
        <source>Theme, language and time zone apply when the window is next opened.</source>
        <translation>Le thème, la langue et le fuseau horaire s&apos;appliquent à la prochaine ouverture de la fenêtre.</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>CO₂ method</source>
        <translation>Méthode CO₂</translation>
    </message>
    <message>
        <source>Latitude (°)</source>
        <translation>Latitude (°)</translation>
    </message>
    <message>
        <source>Longitude (°)</source>
        <translation>Longitude (°)</translation>
    </message>
    <message>
        <source>Power unit</source>
        <translation>Unité de puissance</translation>
    </message>
    <message>
        <source>Energy unit</source>
        <translation>Unité d&apos;énergie</translation>
    </message>
    <message>
        <source>Time axis</source>
        <translation>Axe du temps</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} n&apos;est pas un nombre</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>latitude</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>longitude</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>Non sauvegardé&#xa0;: {problem}</translation>
    </message>
</context>
</TS>
