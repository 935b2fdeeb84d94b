<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>ClaimsPanel</name>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Binding</source>
        <translation>Vinculación</translation>
    </message>
    <message>
        <source>Newest checkpoint</source>
        <translation>Último checkpoint</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Pending Wh</source>
        <translation>Wh pendientes</translation>
    </message>
    <message>
        <source>Paid (base units)</source>
        <translation>Pagado (unidades base)</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Último intento</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>bound on chain</source>
        <translation>vinculado en la cadena</translation>
    </message>
    <message>
        <source>signed, waits for a link</source>
        <translation>firmado, espera conexión</translation>
    </message>
    <message>
        <source>bound elsewhere</source>
        <translation>vinculado en otro equipo</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <source>waiting (refused for now)</source>
        <translation>en espera (rechazado por ahora)</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>pagado</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>liquidado</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>cannot read the claims outbox: {error}</source>
        <translation>no se puede leer la bandeja de reclamaciones: {error}</translation>
    </message>
    <message>
        <source>not bound: use csm bind</source>
        <translation>no vinculado: use csm bind</translation>
    </message>
    <message>
        <source>Claims sync is off: {why}</source>
        <translation>La sincronización de reclamaciones está desactivada: {why}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>Última sincronización: {when}</translation>
    </message>
    <message>
        <source>no link or refused: {error}</source>
        <translation>sin conexión o rechazado: {error}</translation>
    </message>
    <message>
        <source>next attempt in {seconds} s</source>
        <translation>próximo intento en {seconds} s</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Grabar</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Frecuencia</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muestras</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Perdidas</translation>
    </message>
    <message>
        <source>Corrupt</source>
        <translation>Corruptas</translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation>Reconexiones</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Calibración</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>conectando</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>conectado</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>desconectado</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconectando</translation>
    </message>
    <message>
        <source>port missing</source>
        <translation>puerto ausente</translation>
    </message>
    <message>
        <source>waiting for device info</source>
        <translation>esperando información del dispositivo</translation>
    </message>
    <message>
        <source>the device has not introduced itself yet</source>
        <translation>el dispositivo aún no se ha identificado</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <source>{problem}. Samples are recorded on factory scales, flagged.</source>
        <translation>{problem}. Las muestras se graban con las escalas de fábrica y quedan marcadas.</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>sin calibrar</translation>
    </message>
    <message>
        <source>{description}. Figures are indicative.</source>
        <translation>{description}. Los valores son orientativos.</translation>
    </message>
    <message>
        <source>expires in {days} d</source>
        <translation>caduca en {days} d</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>hasta {date}</translation>
    </message>
    <message>
        <source>no sample lost: every sample the device sent arrived</source>
        <translation>ninguna muestra perdida: llegó cada muestra que envió el dispositivo</translation>
    </message>
    <message>
        <source>{lost} samples lost ({share} of {total}): the device sent them but they never arrived (its buffer overflowed, the cable was pulled or frames were damaged); the Log says when</source>
        <translation>{lost} muestras perdidas ({share} de {total}): el dispositivo las envió pero nunca llegaron (su búfer se desbordó, se desconectó el cable o hubo tramas dañadas); el Registro dice cuándo</translation>
    </message>
    <message>
        <source>■ Stop recording</source>
        <translation>■ Detener grabación</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● Grabar</translation>
    </message>
    <message>
        <source>/dev/ttyACM0 or COM3</source>
        <translation>/dev/ttyACM0 o COM3</translation>
    </message>
    <message>
        <source>Connect port</source>
        <translation>Conectar puerto</translation>
    </message>
    <message>
        <source>Add simulator</source>
        <translation>Añadir simulador</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Desconectar</translation>
    </message>
    <message>
        <source>Record every connected device, each into its own session file; tick a device&apos;s Record box to record only some</source>
        <translation>Grabar todos los dispositivos conectados, cada uno en su propio archivo de sesión; marque la casilla Grabar de un dispositivo para grabar solo algunos</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>sin grabar</translation>
    </message>
    <message>
        <source>Adapters and running `csm simulate` devices found on this computer; or type any serial port or URL</source>
        <translation>Adaptadores y dispositivos `csm simulate` en ejecución encontrados en este equipo; o escriba cualquier puerto serie o URL</translation>
    </message>
    <message>
        <source>record this device into its own session file</source>
        <translation>grabar este dispositivo en su propio archivo de sesión</translation>
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
factor {factor} {unit} ({method}, {level})
conjunto de datos {dataset} {version}, año {year}, región {region}
licencia {licence}</translation>
    </message>
    <message>
        <source>FLAGGED: world average, set your region</source>
        <translation>MARCADO: promedio mundial, configure su región</translation>
    </message>
    <message>
        <source>no emission factor: {problem}</source>
        <translation>sin factor de emisión: {problem}</translation>
    </message>
    <message>
        <source>below the minimum claim of {min_claim_mwh} mWh; it stays claimable later</source>
        <translation>por debajo del mínimo reclamable de {min_claim_mwh} mWh; se podrá reclamar más adelante</translation>
    </message>
    <message>
        <source>over the daily cap for the panel&apos;s rating</source>
        <translation>por encima del límite diario para la potencia nominal del panel</translation>
    </message>
    <message>
        <source>halving era {era}; later eras pay less</source>
        <translation>era de reducción a la mitad {era}; las eras posteriores pagan menos</translation>
    </message>
    <message>
        <source>within the cap of {cap_mwh} mWh for {elapsed_s} s</source>
        <translation>dentro del límite de {cap_mwh} mWh para {elapsed_s} s</translation>
    </message>
    <message>
        <source>the deployment&apos;s payout parameters change soon</source>
        <translation>los parámetros de pago del despliegue cambiarán pronto</translation>
    </message>
    <message>
        <source>the deployment could not be read; the price table is used meanwhile</source>
        <translation>no se pudo leer el despliegue; mientras tanto se usa la tabla de precios</translation>
    </message>
    <message>
        <source>dated in the future: check the device clock</source>
        <translation>fechado en el futuro: revise el reloj del dispositivo</translation>
    </message>
    <message>
        <source>the device was revoked</source>
        <translation>el dispositivo fue revocado</translation>
    </message>
    <message>
        <source>the device is not bound to a wallet yet</source>
        <translation>el dispositivo aún no está vinculado a un monedero</translation>
    </message>
    <message>
        <source>the device is not registered on the chain</source>
        <translation>el dispositivo no está registrado en la cadena</translation>
    </message>
    <message>
        <source>too early after the last claim</source>
        <translation>demasiado pronto tras la última reclamación</translation>
    </message>
    <message>
        <source>below threshold</source>
        <translation>bajo el umbral</translation>
    </message>
    <message>
        <source>over cap</source>
        <translation>sobre el límite</translation>
    </message>
    <message>
        <source>parameters of the deployment</source>
        <translation>parámetros del despliegue</translation>
    </message>
    <message>
        <source>price table {detail}</source>
        <translation>tabla de precios {detail}</translation>
    </message>
    <message>
        <source>default payout parameters</source>
        <translation>parámetros de pago predeterminados</translation>
    </message>
    <message>
        <source>Power now</source>
        <translation>Potencia ahora</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>Esta sesión</translation>
    </message>
    <message>
        <source>waiting for the device</source>
        <translation>esperando al dispositivo</translation>
    </message>
    <message>
        <source>{tokens} tokens (preview)</source>
        <translation>{tokens} tokens (vista previa)</translation>
    </message>
    <message>
        <source>not claimable yet ({reason})</source>
        <translation>aún no reclamable ({reason})</translation>
    </message>
    <message>
        <source>reward: {tokens} base units for {mwh} mWh, {source}</source>
        <translation>recompensa: {tokens} unidades base por {mwh} mWh, {source}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>No device yet: Add simulator, or choose an adapter and press Connect port</source>
        <translation>Aún no hay dispositivo: Añadir simulador, o elija un adaptador y pulse Conectar puerto</translation>
    </message>
    <message>
        <source>Now {power}   ·   Today {today}   ·   This session {session}</source>
        <translation>Ahora {power}   ·   Hoy {today}   ·   Esta sesión {session}</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>Energía</translation>
    </message>
    <message>
        <source>Avoided CO₂ (estimate)</source>
        <translation>CO₂ evitado (estimación)</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>Recompensa</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>every sample</source>
        <translation>todas las muestras</translation>
    </message>
    <message>
        <source>1 s means</source>
        <translation>medias de 1 s</translation>
    </message>
    <message>
        <source>10 s means</source>
        <translation>medias de 10 s</translation>
    </message>
    <message>
        <source>1 min means</source>
        <translation>medias de 1 min</translation>
    </message>
    <message>
        <source>15 min means</source>
        <translation>medias de 15 min</translation>
    </message>
    <message>
        <source>Export session</source>
        <translation>Exportar sesión</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>CSV (spreadsheet)</source>
        <translation>CSV (hoja de cálculo)</translation>
    </message>
    <message>
        <source>Parquet (pandas, R, Arrow)</source>
        <translation>Parquet (pandas, R, Arrow)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Guardar como…</translation>
    </message>
    <message>
        <source>from the start (ISO 8601 UTC or seconds after the first sample)</source>
        <translation>desde el inicio (ISO 8601 UTC o segundos tras la primera muestra)</translation>
    </message>
    <message>
        <source>to the end</source>
        <translation>hasta el final</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Session file</source>
        <translation>Archivo de sesión</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Archivo de salida</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Remuestrear</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Archivos de sesión (*.h5 *.hdf5);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Choose a session file to export (Browse…).</source>
        <translation>Elija un archivo de sesión para exportar (Examinar…).</translation>
    </message>
    <message>
        <source>Choose a session file to export ({path} does not exist).</source>
        <translation>Elija un archivo de sesión para exportar ({path} no existe).</translation>
    </message>
    <message>
        <source>Choose where to write the export (Save as…).</source>
        <translation>Elija dónde escribir la exportación (Guardar como…).</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist; choose another output file.</source>
        <translation>La carpeta {folder} no existe; elija otro archivo de salida.</translation>
    </message>
    <message>
        <source>{path} already exists; choose another output file (nothing is overwritten).</source>
        <translation>{path} ya existe; elija otro archivo de salida (no se sobrescribe nada).</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}.</source>
        <translation>Se exportaron {rows} filas a {path}.</translation>
    </message>
    <message>
        <source>Export failed: {problem}</source>
        <translation>Error al exportar: {problem}</translation>
    </message>
    <message>
        <source>Export cancelled; the partial file was removed.</source>
        <translation>Exportación cancelada; se eliminó el archivo parcial.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>Station {number}</source>
        <translation>Estación {number}</translation>
    </message>
    <message>
        <source>Today {energy}</source>
        <translation>Hoy {energy}</translation>
    </message>
    <message>
        <source>{co2} CO₂ avoided*</source>
        <translation>{co2} de CO₂ evitado*</translation>
    </message>
    <message>
        <source>≈ {count} phone charges</source>
        <translation>≈ {count} cargas de móvil</translation>
    </message>
    <message>
        <source>{tokens} reward tokens</source>
        <translation>{tokens} tokens de recompensa</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● en directo</translation>
    </message>
    <message>
        <source>not reporting</source>
        <translation>sin datos</translation>
    </message>
    <message>
        <source>Stopped reporting {ago} ago</source>
        <translation>Sin datos desde hace {ago}</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>desconectada</translation>
    </message>
    <message>
        <source>Not connected: check the cable</source>
        <translation>Desconectada: revise el cable</translation>
    </message>
    <message>
        <source>Since {date}: {energy} of solar power · {co2} CO₂ avoided (estimate) · ≈ {count} phone charges</source>
        <translation>Desde el {date}: {energy} de energía solar · {co2} de CO₂ evitado (estimación) · ≈ {count} cargas de móvil</translation>
    </message>
    <message>
        <source>Figures paused: {problem}</source>
        <translation>Cifras en pausa: {problem}</translation>
    </message>
    <message>
        <source>* Estimate, not an offset or certified credit: tap a station for the source. One phone charge = {wh} Wh.</source>
        <translation>* Estimación, no es una compensación ni un crédito certificado: toque una estación para ver la fuente. Una carga de móvil = {wh} Wh.</translation>
    </message>
    <message>
        <source>No CO₂ factor is available: {problem}</source>
        <translation>No hay factor de CO₂: {problem}</translation>
    </message>
    <message>
        <source>{factor} g CO₂e per kWh for {region} ({note}). Source: {dataset}, {year}, licence {licence}. Method: {method}. This is an estimate of the emissions avoided by using solar power instead of the grid, not an offset or a certified credit.</source>
        <translation>{factor} g de CO₂e por kWh para {region} ({note}). Fuente: {dataset}, {year}, licencia {licence}. Método: {method}. Es una estimación de las emisiones evitadas al usar energía solar en lugar de la red, no una compensación ni un crédito certificado.</translation>
    </message>
    <message>
        <source>Waiting for the recording service…</source>
        <translation>Esperando al servicio de registro…</translation>
    </message>
    <message>
        <source>No charging station is connected yet.</source>
        <translation>Aún no hay ninguna estación de carga conectada.</translation>
    </message>
    <message>
        <source>Since {date} these panels have produced {energy} and avoided about {co2} of CO₂ (estimate).</source>
        <translation>Desde el {date} estos paneles han producido {energy} y evitado unos {co2} de CO₂ (estimación).</translation>
    </message>
    <message>
        <source>The sun is resting</source>
        <translation>El sol descansa</translation>
    </message>
    <message>
        <source>Touch the screen to see the charging stations.</source>
        <translation>Toque la pantalla para ver las estaciones de carga.</translation>
    </message>
    <message>
        <source>Where the CO₂ figure comes from</source>
        <translation>De dónde viene la cifra de CO₂</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>No staff PIN is set. On this machine run: csm kiosk --set-pin</source>
        <translation>No hay PIN de personal. En este equipo ejecute: csm kiosk --set-pin</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>PIN del personal</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Service: {profile} profile, process {pid}, data in {data_dir}</source>
        <translation>Servicio: perfil {profile}, proceso {pid}, datos en {data_dir}</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Salir del quiosco</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <source>Too many wrong tries: wait {seconds} s</source>
        <translation>Demasiados intentos fallidos: espere {seconds} s</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>PIN incorrecto</translation>
    </message>
    <message>
        <source>Rewards claimed up to {time}</source>
        <translation>Recompensas cobradas hasta {time}</translation>
    </message>
    <message>
        <source>{energy} to claim · next sync in {wait}</source>
        <translation>{energy} pendientes · envío en {wait}</translation>
    </message>
    <message>
        <source>{energy} to claim at the next sync</source>
        <translation>{energy} pendientes del próximo envío</translation>
    </message>
    <message>
        <source>{energy} waiting for a link — kept safe</source>
        <translation>{energy} a salvo, sin conexión</translation>
    </message>
    <message>
        <source>Rewards paused — energy kept safe</source>
        <translation>Recompensas en pausa, energía a salvo</translation>
    </message>
    <message>
        <source>Rewards not set up yet</source>
        <translation>Recompensas aún no configuradas</translation>
    </message>
    <message>
        <source>Claims sync: last {last}, next {next}</source>
        <translation>Sincronización de reclamaciones: última {last}, próxima {next}</translation>
    </message>
    <message>
        <source>{ago} ago</source>
        <translation>hace {ago}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>in {wait}</source>
        <translation>en {wait}</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>Last sync failed: {error}</source>
        <translation>La última sincronización falló: {error}</translation>
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
        <translation>error inesperado ({kind})</translation>
    </message>
    <message>
        <source>the device restarted ({reason}; boot {boot}): counters start again</source>
        <translation>el dispositivo se reinició ({reason}; arranque {boot}): los contadores empiezan de nuevo</translation>
    </message>
    <message>
        <source>the device&apos;s supply dropped to {arg0} mV</source>
        <translation>la alimentación del dispositivo bajó a {arg0} mV</translation>
    </message>
    <message>
        <source>over-current at sample {arg1}: check the wiring</source>
        <translation>sobrecorriente en la muestra {arg1}: revise el cableado</translation>
    </message>
    <message>
        <source>the device&apos;s case was opened (switch {arg0})</source>
        <translation>se abrió la caja del dispositivo (interruptor {arg0})</translation>
    </message>
    <message>
        <source>the device dropped {arg0} frames ({arg1} bytes) because this computer did not read them in time: those samples are lost</source>
        <translation>el dispositivo descartó {arg0} tramas ({arg1} bytes) porque este ordenador no las leyó a tiempo: esas muestras se han perdido</translation>
    </message>
    <message>
        <source>the device set its clock from this computer&apos;s time</source>
        <translation>el dispositivo ajustó su reloj con la hora de este ordenador</translation>
    </message>
    <message>
        <source>the sample rate changed from {arg1} Hz to {arg0} Hz</source>
        <translation>la frecuencia de muestreo cambió de {arg1} Hz a {arg0} Hz</translation>
    </message>
    <message>
        <source>the device reports a sensor fault (code {arg0})</source>
        <translation>el dispositivo informa de un fallo del sensor (código {arg0})</translation>
    </message>
    <message>
        <source>the device&apos;s two energy counters disagree: sensor {arg0} mWh, firmware {arg1} mWh</source>
        <translation>los dos contadores de energía del dispositivo no coinciden: sensor {arg0} mWh, firmware {arg1} mWh</translation>
    </message>
    <message>
        <source>power on</source>
        <translation>encendido</translation>
    </message>
    <message>
        <source>watchdog</source>
        <translation>watchdog</translation>
    </message>
    <message>
        <source>brown-out</source>
        <translation>caída de tensión</translation>
    </message>
    <message>
        <source>software</source>
        <translation>software</translation>
    </message>
    <message>
        <source>reset pin</source>
        <translation>pin de reinicio</translation>
    </message>
    <message>
        <source>device reports {name} (arguments {arg0}, {arg1})</source>
        <translation>el dispositivo informa {name} (argumentos {arg0}, {arg1})</translation>
    </message>
    <message>
        <source>the window fell behind and skipped {kinds} (display only; recording unaffected)</source>
        <translation>la ventana se retrasó y omitió {kinds} (solo en pantalla; la grabación no se ve afectada)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>aviso</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>window ready in {seconds} s</source>
        <translation>ventana lista en {seconds} s</translation>
    </message>
    <message>
        <source>Carbon Smart Meter — {profile}</source>
        <translation>Carbon Smart Meter — {profile}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Pause to scroll and zoom with the mouse; Follow returns to live data</source>
        <translation>Pausar para desplazar y ampliar con el ratón; Seguir vuelve a los datos en vivo</translation>
    </message>
    <message>
        <source>From zero</source>
        <translation>Desde cero</translation>
    </message>
    <message>
        <source>Show the value axes from zero instead of fitted to the data (which makes noise look like swings)</source>
        <translation>Mostrar los ejes de valores desde cero en lugar de ajustados a los datos (que hace que el ruido parezca oscilaciones)</translation>
    </message>
    <message>
        <source>Note, e.g. &apos;panel re-angled&apos; — Enter adds it at the current time</source>
        <translation>Nota, p. ej. &apos;panel reorientado&apos; — Enter la añade con la hora actual</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Añadir nota</translation>
    </message>
    <message>
        <source>Session details…</source>
        <translation>Detalles de la sesión…</translation>
    </message>
    <message>
        <source>Site, operator and panel, stored in every file recorded from now on</source>
        <translation>Sitio, operador y panel, guardados en cada archivo grabado a partir de ahora</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Ventana</translation>
    </message>
    <message>
        <source>Energy / CO₂ / reward</source>
        <translation>Energía / CO₂ / recompensa</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Reclamaciones</translation>
    </message>
    <message>
        <source>no devices</source>
        <translation>sin dispositivos</translation>
    </message>
    <message>
        <source>not recording</source>
        <translation>sin grabar</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open session for review…</source>
        <translation>&amp;Abrir sesión para revisión…</translation>
    </message>
    <message>
        <source>&amp;Export session…</source>
        <translation>&amp;Exportar sesión…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Devices</source>
        <translation>&amp;Dispositivos</translation>
    </message>
    <message>
        <source>Add &amp;simulator</source>
        <translation>Añadir &amp;simulador</translation>
    </message>
    <message>
        <source>&amp;Record all / stop</source>
        <translation>&amp;Grabar todos / detener</translation>
    </message>
    <message>
        <source>Session &amp;details…</source>
        <translation>&amp;Detalles de la sesión…</translation>
    </message>
    <message>
        <source>Write a &amp;note</source>
        <translation>Escribir una &amp;nota</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Seguir</translation>
    </message>
    <message>
        <source>could not start the simulator: {problem}</source>
        <translation>no se pudo iniciar el simulador: {problem}</translation>
    </message>
    <message>
        <source>cannot list serial ports: {problem}</source>
        <translation>no se pueden listar los puertos serie: {problem}</translation>
    </message>
    <message>
        <source>found {description} on {port}: choose it and press Connect port</source>
        <translation>se encontró {description} en {port}: selecciónelo y pulse «Conectar puerto»</translation>
    </message>
    <message>
        <source>type a serial port (e.g. /dev/ttyACM0) or choose one first</source>
        <translation>escriba un puerto serie (p. ej. /dev/ttyACM0) o elija uno primero</translation>
    </message>
    <message>
        <source>could not open {port}: {problem}</source>
        <translation>no se pudo abrir {port}: {problem}</translation>
    </message>
    <message>
        <source>{source} disconnected by the user</source>
        <translation>{source} desconectado por el usuario</translation>
    </message>
    <message>
        <source>no device to record: connect an adapter or add a simulator first</source>
        <translation>no hay ningún dispositivo que grabar: conecte primero un adaptador o añada un simulador</translation>
    </message>
    <message>
        <source>cannot record into {folder}: {problem}</source>
        <translation>no se puede grabar en {folder}: {problem}</translation>
    </message>
    <message>
        <source>recording started into {folder}</source>
        <translation>grabación iniciada en {folder}</translation>
    </message>
    <message>
        <source>Stop recording {n} device(s)?</source>
        <translation>¿Detener la grabación de {n} dispositivo(s)?</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Detener la grabación</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Grabación</translation>
    </message>
    <message>
        <source>Each file is closed complete and stays readable; you can record again at any time, into new files.</source>
        <translation>Cada archivo se cierra completo y sigue siendo legible; puede volver a grabar en cualquier momento, en archivos nuevos.</translation>
    </message>
    <message>
        <source>Keep recording</source>
        <translation>Seguir grabando</translation>
    </message>
    <message>
        <source>no file (no device sent data)</source>
        <translation>ningún archivo (ningún dispositivo envió datos)</translation>
    </message>
    <message>
        <source>saved {files}</source>
        <translation>guardado: {files}</translation>
    </message>
    <message>
        <source>recording stopped: {files}</source>
        <translation>grabación detenida: {files}</translation>
    </message>
    <message>
        <source>recording {n} of {total} device(s) into {folder}</source>
        <translation>grabando {n} de {total} dispositivo(s) en {folder}</translation>
    </message>
    <message>
        <source>● recording {n}</source>
        <translation>● grabando {n}</translation>
    </message>
    <message>
        <source>(not recording: shown only, not saved)</source>
        <translation>(sin grabar: solo se muestra, no se guarda)</translation>
    </message>
    <message>
        <source>, latency p99 {ms} ms</source>
        <translation>, latencia p99 {ms} ms</translation>
    </message>
    <message>
        <source>{n} device(s), {connected} connected</source>
        <translation>{n} dispositivo(s), {connected} conectado(s)</translation>
    </message>
    <message>
        <source> — {n} samples lost, see Lost and Log</source>
        <translation> — {n} muestras perdidas, vea Perdidas y Registro</translation>
    </message>
    <message>
        <source> — {n} error(s), see Log</source>
        <translation> — {n} error(es), consulte el Registro</translation>
    </message>
    <message>
        <source>claims: {n} waiting, sync off</source>
        <translation>reclamaciones: {n} en espera, sincronización desactivada</translation>
    </message>
    <message>
        <source>claims: {n} waiting, offline</source>
        <translation>reclamaciones: {n} en espera, sin conexión</translation>
    </message>
    <message>
        <source>claims: {n} waiting, {paid} paid</source>
        <translation>reclamaciones: {n} en espera, {paid} pagadas</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Abrir sesión</translation>
    </message>
    <message>
        <source>Session files (*.h5 *.hdf5);;All files (*)</source>
        <translation>Archivos de sesión (*.h5 *.hdf5);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>settings saved to {path}</source>
        <translation>configuración guardada en {path}</translation>
    </message>
    <message>
        <source>settings not saved: {problem}</source>
        <translation>configuración no guardada: {problem}</translation>
    </message>
    <message>
        <source>Quit and stop recording {n} device(s)?</source>
        <translation>¿Salir y detener la grabación de {n} dispositivo(s)?</translation>
    </message>
    <message>
        <source>Stop recording and quit</source>
        <translation>Detener la grabación y salir</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Add a note</source>
        <translation>Añadir una nota</translation>
    </message>
    <message>
        <source>e.g. shade from the mast, panel cleaned</source>
        <translation>p. ej. sombra del mástil, panel limpiado</translation>
    </message>
    <message>
        <source>Note at {time} (the orange cursor). It is saved beside {file} in {file}.notes.json; the session file itself is not changed.</source>
        <translation>Nota en {time} (el cursor naranja). Se guarda junto a {file} en {file}.notes.json; el archivo de sesión no se modifica.</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <source>Voltage</source>
        <translation>Tensión</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Corriente</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Potencia</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Review</source>
        <translation>Revisión</translation>
    </message>
    <message>
        <source>Open a session file (File ▸ Open session for review).</source>
        <translation>Abra un archivo de sesión (Archivo ▸ Abrir sesión para revisión).</translation>
    </message>
    <message>
        <source>Add note…</source>
        <translation>Añadir nota…</translation>
    </message>
    <message>
        <source>A note at the orange cursor (Ctrl+N)</source>
        <translation>Una nota en el cursor naranja (Ctrl+N)</translation>
    </message>
    <message>
        <source>Drag the two cursors on the power plot to measure.</source>
        <translation>Arrastre los dos cursores en el gráfico de potencia para medir.</translation>
    </message>
    <message>
        <source>Follow the file while it is written</source>
        <translation>Seguir el archivo mientras se escribe</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Review — {name}</source>
        <translation>Revisión — {name}</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>calibrado</translation>
    </message>
    <message>
        <source>uncalibrated</source>
        <translation>sin calibrar</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Cannot open {name}: {problem}. If the recording was interrupted, `csm repair {name}` may recover what was flushed.</source>
        <translation>No se puede abrir {name}: {problem}. Si la grabación se interrumpió, `csm repair {name}` puede recuperar lo que ya se escribió en disco.</translation>
    </message>
    <message>
        <source>No session loaded.</source>
        <translation>No hay ninguna sesión cargada.</translation>
    </message>
    <message>
        <source>{name} is still being written or was not closed cleanly: showing everything flushed so far.</source>
        <translation>{name} aún se está escribiendo o no se cerró correctamente: se muestra todo lo escrito en disco hasta ahora.</translation>
    </message>
    <message>
        <source>the file holds no samples yet</source>
        <translation>el archivo aún no contiene muestras</translation>
    </message>
    <message>
        <source>&lt;b&gt;{source}&lt;/b&gt; device {address} · {start} · {duration} · {samples} samples · calibration: {status}</source>
        <translation>&lt;b&gt;{source}&lt;/b&gt; dispositivo {address} · {start} · {duration} · {samples} muestras · calibración: {status}</translation>
    </message>
    <message>
        <source>computing overview…</source>
        <translation>calculando vista general…</translation>
    </message>
    <message>
        <source>Overview not available: {problem}</source>
        <translation>Vista general no disponible: {problem}</translation>
    </message>
    <message>
        <source>(added in review)</source>
        <translation>(añadida en la revisión)</translation>
    </message>
    <message>
        <source>Between cursors: duration {duration} · energy {energy} · mean power {power} · {samples} samples</source>
        <translation>Entre cursores: duración {duration} · energía {energy} · potencia media {power} · {samples} muestras</translation>
    </message>
    <message>
        <source>Stopped following {name}: {problem}</source>
        <translation>Se dejó de seguir {name}: {problem}</translation>
    </message>
    <message>
        <source>This file is still being recorded: write notes in the logger window&apos;s note field, which stores them in the file; here once it is closed.</source>
        <translation>Este archivo aún se está grabando: escriba notas en el campo de notas de la ventana de registro, que las guarda en el archivo; aquí cuando esté cerrado.</translation>
    </message>
    <message>
        <source>Note not saved: {problem}</source>
        <translation>Nota no guardada: {problem}</translation>
    </message>
</context>
<context>
    <name>SessionDetails</name>
    <message>
        <source>No session details (recorded before they existed).</source>
        <translation>Sin detalles de la sesión (grabada antes de que existieran).</translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation>Sitio: {site}</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>Operador: {name}</translation>
    </message>
    <message>
        <source>Location: {lat}°, {lon}°</source>
        <translation>Ubicación: {lat}°, {lon}°</translation>
    </message>
    <message>
        <source>Tilt: {deg}°</source>
        <translation>Inclinación: {deg}°</translation>
    </message>
    <message>
        <source>Azimuth: {deg}° from north</source>
        <translation>Acimut: {deg}° desde el norte</translation>
    </message>
    <message>
        <source>Panel: {watts} W</source>
        <translation>Panel: {watts} W</translation>
    </message>
    <message>
        <source>No session details were entered.</source>
        <translation>No se introdujeron detalles de la sesión.</translation>
    </message>
    <message>
        <source>Session details</source>
        <translation>Detalles de la sesión</translation>
    </message>
    <message>
        <source>0 = flat, 90 = vertical</source>
        <translation>0 = horizontal, 90 = vertical</translation>
    </message>
    <message>
        <source>clockwise from north: 90 east, 180 south</source>
        <translation>en sentido horario desde el norte: 90 este, 180 sur</translation>
    </message>
    <message>
        <source>if known</source>
        <translation>si se conoce</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
    <message>
        <source>Stored in every session file recorded from now on; files being written keep the details they started with.</source>
        <translation>Se guarda en cada archivo de sesión grabado a partir de ahora; los archivos en curso conservan los detalles con los que empezaron.</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Latitude (°)</source>
        <translation>Latitud (°)</translation>
    </message>
    <message>
        <source>Longitude (°)</source>
        <translation>Longitud (°)</translation>
    </message>
    <message>
        <source>Panel tilt (°)</source>
        <translation>Inclinación del panel (°)</translation>
    </message>
    <message>
        <source>Panel azimuth (°)</source>
        <translation>Acimut del panel (°)</translation>
    </message>
    <message>
        <source>Panel rating (W)</source>
        <translation>Potencia nominal del panel (W)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>latitud</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>longitud</translation>
    </message>
    <message>
        <source>panel tilt</source>
        <translation>inclinación del panel</translation>
    </message>
    <message>
        <source>panel azimuth</source>
        <translation>acimut del panel</translation>
    </message>
    <message>
        <source>panel rating</source>
        <translation>potencia nominal del panel</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} no es un número</translation>
    </message>
    <message>
        <source>{name} {value} is outside {lo} .. {hi}</source>
        <translation>{name} {value} está fuera de {lo} .. {hi}</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>No guardado: {problem}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>grid displacement (country average)</source>
        <translation>desplazamiento de red (promedio del país)</translation>
    </message>
    <message>
        <source>combined margin (your OM/BM)</source>
        <translation>margen combinado (su OM/BM)</translation>
    </message>
    <message>
        <source>off-grid diesel generator</source>
        <translation>generador diésel fuera de red</translation>
    </message>
    <message>
        <source>off-grid kerosene</source>
        <translation>queroseno fuera de red</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>hora local</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>light</source>
        <translation>claro</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>oscuro</translation>
    </message>
    <message>
        <source>logger (field laptop)</source>
        <translation>registrador (portátil de campo)</translation>
    </message>
    <message>
        <source>kiosk (public screen)</source>
        <translation>quiosco (pantalla pública)</translation>
    </message>
    <message>
        <source>ship (offline for weeks)</source>
        <translation>barco (sin conexión durante semanas)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>country code, e.g. DE, KE; empty = from location</source>
        <translation>código de país, p. ej. DE, KE; vacío = según la ubicación</translation>
    </message>
    <message>
        <source>unknown (used for the clear-sky plausibility check)</source>
        <translation>desconocida (se usa en la comprobación de plausibilidad con cielo despejado)</translation>
    </message>
    <message>
        <source>Theme, language, units and time axis apply at once; recordings carry on. A new data directory or profile applies from the next start.</source>
        <translation>El tema, el idioma, las unidades y el eje de tiempo se aplican al instante; las grabaciones continúan. Un nuevo directorio de datos o perfil se aplica desde el próximo inicio.</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Directorio de datos</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Región</translation>
    </message>
    <message>
        <source>CO₂ method</source>
        <translation>Método de CO₂</translation>
    </message>
    <message>
        <source>Latitude (°)</source>
        <translation>Latitud (°)</translation>
    </message>
    <message>
        <source>Longitude (°)</source>
        <translation>Longitud (°)</translation>
    </message>
    <message>
        <source>Power unit</source>
        <translation>Unidad de potencia</translation>
    </message>
    <message>
        <source>Energy unit</source>
        <translation>Unidad de energía</translation>
    </message>
    <message>
        <source>Time axis</source>
        <translation>Eje de tiempo</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Perfil</translation>
    </message>
    <message>
        <source>{name} {text} is not a number</source>
        <translation>{name} {text} no es un número</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>latitud</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>longitud</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>No guardado: {problem}</translation>
    </message>
</context>
</TS>
