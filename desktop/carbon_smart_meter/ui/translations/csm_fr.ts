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
        <source>no sample lost: every sample the device sent arrived</source>
        <translation>aucun échantillon perdu : chaque échantillon envoyé est arrivé</translation>
    </message>
    <message>
        <source>{lost} samples lost ({share} of {total}): the device sent them but they never arrived (its buffer overflowed, the cable was pulled or frames were damaged); the Log says when</source>
        <translation>{lost} échantillons perdus ({share} sur {total}) : l’appareil les a envoyés mais ils ne sont jamais arrivés (tampon plein, câble débranché ou trames abîmées) ; le Journal dit quand</translation>
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
        <source>within the cap of {cap_mwh} mWh for {elapsed_s} s</source>
        <translation>dans la limite de {cap_mwh} mWh pour {elapsed_s} s</translation>
    </message>
    <message>
        <source>the deployment&apos;s payout parameters change soon</source>
        <translation>les paramètres de paiement du déploiement changent bientôt</translation>
    </message>
    <message>
        <source>the deployment could not be read; the price table is used meanwhile</source>
        <translation>le déploiement n’a pas pu être lu ; la table de prix est utilisée en attendant</translation>
    </message>
    <message>
        <source>dated in the future: check the device clock</source>
        <translation>daté dans le futur : vérifiez l’horloge de l’appareil</translation>
    </message>
    <message>
        <source>the device was revoked</source>
        <translation>l’appareil a été révoqué</translation>
    </message>
    <message>
        <source>the device is not bound to a wallet yet</source>
        <translation>l’appareil n’est encore lié à aucun portefeuille</translation>
    </message>
    <message>
        <source>the device is not registered on the chain</source>
        <translation>l’appareil n’est pas enregistré sur la chaîne</translation>
    </message>
    <message>
        <source>too early after the last claim</source>
        <translation>trop tôt après la dernière réclamation</translation>
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
        <source>Power now</source>
        <translation>Puissance actuelle</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>Cette session</translation>
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
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>No device yet: Add simulator, or choose an adapter and press Connect port</source>
        <translation>Aucun appareil : Ajouter un simulateur, ou choisissez un adaptateur et appuyez sur Connecter le port</translation>
    </message>
    <message>
        <source>Now {power}   ·   Today {today}   ·   This session {session}</source>
        <translation>Maintenant {power}   ·   Aujourd’hui {today}   ·   Cette session {session}</translation>
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
        <source>Save as…</source>
        <translation>Enregistrer sous…</translation>
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
        <source>Choose a session file to export (Browse…).</source>
        <translation>Choisissez un fichier de session à exporter (Parcourir…).</translation>
    </message>
    <message>
        <source>Choose a session file to export ({path} does not exist).</source>
        <translation>Choisissez un fichier de session à exporter ({path} n&apos;existe pas).</translation>
    </message>
    <message>
        <source>Choose where to write the export (Save as…).</source>
        <translation>Choisissez où écrire l’export (Enregistrer sous…).</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist; choose another output file.</source>
        <translation>Le dossier {folder} n’existe pas ; choisissez un autre fichier de sortie.</translation>
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
    <name>Kiosk</name>
    <message>
        <source>Station {number}</source>
        <translation>Station {number}</translation>
    </message>
    <message>
        <source>Today {energy}</source>
        <translation>Aujourd’hui {energy}</translation>
    </message>
    <message>
        <source>{co2} CO₂ avoided*</source>
        <translation>{co2} de CO₂ évités*</translation>
    </message>
    <message>
        <source>≈ {count} phone charges</source>
        <translation>≈ {count} recharges de téléphone</translation>
    </message>
    <message>
        <source>{tokens} reward tokens</source>
        <translation>{tokens} jetons de récompense</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● en direct</translation>
    </message>
    <message>
        <source>not reporting</source>
        <translation>muette</translation>
    </message>
    <message>
        <source>Stopped reporting {ago} ago</source>
        <translation>Plus de données depuis {ago}</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>déconnectée</translation>
    </message>
    <message>
        <source>Not connected: check the cable</source>
        <translation>Déconnectée : vérifiez le câble</translation>
    </message>
    <message>
        <source>Since {date}: {energy} of solar power · {co2} CO₂ avoided (estimate) · ≈ {count} phone charges</source>
        <translation>Depuis le {date} : {energy} d’énergie solaire · {co2} de CO₂ évités (estimation) · ≈ {count} recharges de téléphone</translation>
    </message>
    <message>
        <source>Figures paused: {problem}</source>
        <translation>Chiffres en pause : {problem}</translation>
    </message>
    <message>
        <source>* Estimate, not an offset or certified credit: tap a station for the source. One phone charge = {wh} Wh.</source>
        <translation>* Estimation, ni compensation ni crédit certifié : touchez une station pour la source. Une recharge de téléphone = {wh} Wh.</translation>
    </message>
    <message>
        <source>No CO₂ factor is available: {problem}</source>
        <translation>Aucun facteur de CO₂ disponible : {problem}</translation>
    </message>
    <message>
        <source>{factor} g CO₂e per kWh for {region} ({note}). Source: {dataset}, {year}, licence {licence}. Method: {method}. This is an estimate of the emissions avoided by using solar power instead of the grid, not an offset or a certified credit.</source>
        <translation>{factor} g de CO₂e par kWh pour {region} ({note}). Source : {dataset}, {year}, licence {licence}. Méthode : {method}. C’est une estimation des émissions évitées en utilisant l’énergie solaire plutôt que le réseau, ni une compensation ni un crédit certifié.</translation>
    </message>
    <message>
        <source>Waiting for the recording service…</source>
        <translation>En attente du service d’enregistrement…</translation>
    </message>
    <message>
        <source>No charging station is connected yet.</source>
        <translation>Aucune station de recharge n’est encore connectée.</translation>
    </message>
    <message>
        <source>Since {date} these panels have produced {energy} and avoided about {co2} of CO₂ (estimate).</source>
        <translation>Depuis le {date}, ces panneaux ont produit {energy} et évité environ {co2} de CO₂ (estimation).</translation>
    </message>
    <message>
        <source>The sun is resting</source>
        <translation>Le soleil se repose</translation>
    </message>
    <message>
        <source>Touch the screen to see the charging stations.</source>
        <translation>Touchez l’écran pour voir les stations de recharge.</translation>
    </message>
    <message>
        <source>Where the CO₂ figure comes from</source>
        <translation>D’où vient le chiffre de CO₂</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>No staff PIN is set. On this machine run: csm kiosk --set-pin</source>
        <translation>Aucun code du personnel n’est défini. Sur cette machine, lancez : csm kiosk --set-pin</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>Code du personnel</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Service: {profile} profile, process {pid}, data in {data_dir}</source>
        <translation>Service : profil {profile}, processus {pid}, données dans {data_dir}</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personnel</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Quitter le kiosque</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Too many wrong tries: wait {seconds} s</source>
        <translation>Trop d’essais erronés : attendez {seconds} s</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>Code erroné</translation>
    </message>
    <message>
        <source>Rewards claimed up to {time}</source>
        <translation>Récompenses obtenues jusqu’à {time}</translation>
    </message>
    <message>
        <source>{energy} to claim · next sync in {wait}</source>
        <translation>{energy} à réclamer · envoi dans {wait}</translation>
    </message>
    <message>
        <source>{energy} to claim at the next sync</source>
        <translation>{energy} à réclamer au prochain envoi</translation>
    </message>
    <message>
        <source>{energy} waiting for a link — kept safe</source>
        <translation>{energy} en sécurité, hors ligne</translation>
    </message>
    <message>
        <source>Rewards paused — energy kept safe</source>
        <translation>Récompenses en pause, énergie à l’abri</translation>
    </message>
    <message>
        <source>Rewards not set up yet</source>
        <translation>Récompenses pas encore configurées</translation>
    </message>
    <message>
        <source>Claims sync: last {last}, next {next}</source>
        <translation>Synchro des réclamations : dernière {last}, prochaine {next}</translation>
    </message>
    <message>
        <source>{ago} ago</source>
        <translation>il y a {ago}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>in {wait}</source>
        <translation>dans {wait}</translation>
    </message>
    <message>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>Last sync failed: {error}</source>
        <translation>Échec de la dernière synchro : {error}</translation>
    </message>
    <message>
        <source>{line}: {error}</source>
        <translation>{line} : {error}</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <source>unexpected {kind}</source>
        <translation>{kind} inattendu</translation>
    </message>
    <message>
        <source>the device restarted ({reason}; boot {boot}): counters start again</source>
        <translation>l’appareil a redémarré ({reason} ; démarrage {boot}) : les compteurs repartent de zéro</translation>
    </message>
    <message>
        <source>the device&apos;s supply dropped to {arg0} mV</source>
        <translation>l’alimentation de l’appareil est tombée à {arg0} mV</translation>
    </message>
    <message>
        <source>over-current at sample {arg1}: check the wiring</source>
        <translation>surintensité à l’échantillon {arg1} : vérifiez le câblage</translation>
    </message>
    <message>
        <source>the device&apos;s case was opened (switch {arg0})</source>
        <translation>le boîtier de l’appareil a été ouvert (contact {arg0})</translation>
    </message>
    <message>
        <source>the device dropped {arg0} frames ({arg1} bytes) because this computer did not read them in time: those samples are lost</source>
        <translation>l’appareil a abandonné {arg0} trames ({arg1} octets) car cet ordinateur ne les a pas lues à temps : ces échantillons sont perdus</translation>
    </message>
    <message>
        <source>the device set its clock from this computer&apos;s time</source>
        <translation>l’appareil a réglé son horloge sur celle de cet ordinateur</translation>
    </message>
    <message>
        <source>the sample rate changed from {arg1} Hz to {arg0} Hz</source>
        <translation>la fréquence d’échantillonnage est passée de {arg1} Hz à {arg0} Hz</translation>
    </message>
    <message>
        <source>the device reports a sensor fault (code {arg0})</source>
        <translation>l’appareil signale un défaut de capteur (code {arg0})</translation>
    </message>
    <message>
        <source>the device&apos;s two energy counters disagree: sensor {arg0} mWh, firmware {arg1} mWh</source>
        <translation>les deux compteurs d’énergie de l’appareil divergent : capteur {arg0} mWh, micrologiciel {arg1} mWh</translation>
    </message>
    <message>
        <source>power on</source>
        <translation>mise sous tension</translation>
    </message>
    <message>
        <source>watchdog</source>
        <translation>chien de garde</translation>
    </message>
    <message>
        <source>brown-out</source>
        <translation>sous-tension</translation>
    </message>
    <message>
        <source>software</source>
        <translation>logiciel</translation>
    </message>
    <message>
        <source>reset pin</source>
        <translation>broche de réinitialisation</translation>
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
        <source>From zero</source>
        <translation>Depuis zéro</translation>
    </message>
    <message>
        <source>Show the value axes from zero instead of fitted to the data (which makes noise look like swings)</source>
        <translation>Afficher les axes de valeurs depuis zéro plutôt qu’ajustés aux données (ce qui fait passer le bruit pour des variations)</translation>
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
        <source>Session details…</source>
        <translation>Détails de la session…</translation>
    </message>
    <message>
        <source>Site, operator and panel, stored in every file recorded from now on</source>
        <translation>Site, opérateur et panneau, enregistrés dans chaque fichier enregistré à partir de maintenant</translation>
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
        <source>Session &amp;details…</source>
        <translation>&amp;Détails de la session…</translation>
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
        <source>Stop recording {n} device(s)?</source>
        <translation>Arrêter l’enregistrement de {n} appareil(s) ?</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Arrêter l’enregistrement</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Each file is closed complete and stays readable; you can record again at any time, into new files.</source>
        <translation>Chaque fichier est fermé complet et reste lisible ; vous pouvez enregistrer à nouveau à tout moment, dans de nouveaux fichiers.</translation>
    </message>
    <message>
        <source>Keep recording</source>
        <translation>Continuer l’enregistrement</translation>
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
        <source> — {n} samples lost, see Lost and Log</source>
        <translation> — {n} échantillons perdus, voir Perdus et Journal</translation>
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
    <message>
        <source>Quit and stop recording {n} device(s)?</source>
        <translation>Quitter et arrêter l’enregistrement de {n} appareil(s) ?</translation>
    </message>
    <message>
        <source>Stop recording and quit</source>
        <translation>Arrêter l’enregistrement et quitter</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Add a note</source>
        <translation>Ajouter une note</translation>
    </message>
    <message>
        <source>e.g. shade from the mast, panel cleaned</source>
        <translation>p. ex. ombre du mât, panneau nettoyé</translation>
    </message>
    <message>
        <source>Note at {time} (the orange cursor). It is saved beside {file} in {file}.notes.json; the session file itself is not changed.</source>
        <translation>Note à {time} (le curseur orange). Elle est enregistrée à côté de {file} dans {file}.notes.json ; le fichier de session lui-même n&apos;est pas modifié.</translation>
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
        <source>Add note…</source>
        <translation>Ajouter une note…</translation>
    </message>
    <message>
        <source>A note at the orange cursor (Ctrl+N)</source>
        <translation>Une note au curseur orange (Ctrl+N)</translation>
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
        <source>calibrated</source>
        <translation>étalonné</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>non étalonné</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
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
        <source>(added in review)</source>
        <translation>(ajoutée lors de la relecture)</translation>
    </message>
    <message>
        <source>Between cursors: duration {duration} · energy {energy} · mean power {power} · {samples} samples</source>
        <translation>Entre les curseurs&#xa0;: durée {duration} · énergie {energy} · puissance moyenne {power} · {samples} échantillons</translation>
    </message>
    <message>
        <source>Stopped following {name}: {problem}</source>
        <translation>Suivi de {name} arrêté&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>This file is still being recorded: write notes in the logger window&apos;s note field, which stores them in the file; here once it is closed.</source>
        <translation>Ce fichier est encore en cours d&apos;enregistrement : écrivez les notes dans le champ de notes de la fenêtre d&apos;acquisition, qui les enregistre dans le fichier ; ici une fois qu&apos;il est fermé.</translation>
    </message>
    <message>
        <source>Note not saved: {problem}</source>
        <translation>Note non enregistrée : {problem}</translation>
    </message>
</context>
<context>
    <name>SessionDetails</name>
    <message>
        <source>No session details (recorded before they existed).</source>
        <translation>Pas de détails de session (enregistrée avant leur existence).</translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation>Site : {site}</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>Opérateur : {name}</translation>
    </message>
    <message>
        <source>Location: {lat}°, {lon}°</source>
        <translation>Position : {lat}°, {lon}°</translation>
    </message>
    <message>
        <source>Tilt: {deg}°</source>
        <translation>Inclinaison : {deg}°</translation>
    </message>
    <message>
        <source>Azimuth: {deg}° from north</source>
        <translation>Azimut : {deg}° depuis le nord</translation>
    </message>
    <message>
        <source>Panel: {watts} W</source>
        <translation>Panneau : {watts} W</translation>
    </message>
    <message>
        <source>No session details were entered.</source>
        <translation>Aucun détail de session n&apos;a été saisi.</translation>
    </message>
    <message>
        <source>Session details</source>
        <translation>Détails de la session</translation>
    </message>
    <message>
        <source>0 = flat, 90 = vertical</source>
        <translation>0 = à plat, 90 = vertical</translation>
    </message>
    <message>
        <source>clockwise from north: 90 east, 180 south</source>
        <translation>dans le sens horaire depuis le nord : 90 est, 180 sud</translation>
    </message>
    <message>
        <source>if known</source>
        <translation>si connue</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <source>Stored in every session file recorded from now on; files being written keep the details they started with.</source>
        <translation>Enregistrés dans chaque fichier de session enregistré à partir de maintenant ; les fichiers en cours gardent les détails de leur début.</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
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
        <source>Panel tilt (°)</source>
        <translation>Inclinaison du panneau (°)</translation>
    </message>
    <message>
        <source>Panel azimuth (°)</source>
        <translation>Azimut du panneau (°)</translation>
    </message>
    <message>
        <source>Panel rating (W)</source>
        <translation>Puissance nominale du panneau (W)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
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
        <source>panel tilt</source>
        <translation>inclinaison du panneau</translation>
    </message>
    <message>
        <source>panel azimuth</source>
        <translation>azimut du panneau</translation>
    </message>
    <message>
        <source>panel rating</source>
        <translation>puissance nominale du panneau</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} n&apos;est pas un nombre</translation>
    </message>
    <message>
        <source>{name} {value} is outside {lo} .. {hi}</source>
        <translation>{name} {value} est hors de {lo} .. {hi}</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>Non enregistré : {problem}</translation>
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
        <source>Theme, language, units and time axis apply at once; recordings carry on. A new data directory or profile applies from the next start.</source>
        <translation>Le thème, la langue, les unités et l’axe du temps s’appliquent immédiatement ; les enregistrements continuent. Un nouveau dossier de données ou profil s’applique au prochain démarrage.</translation>
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
