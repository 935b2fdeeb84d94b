#include "csm/device.h"

#include <string.h>

#include "csm/bytes.h"
#include "csm/keccak.h"

#define NS_PER_S 1000000000ull

static uint64_t now_ns(const csm_device *d) { return d->hal.clock->now_ns(d->hal.clock->ctx); }

uint64_t csm_device_time_us(const csm_device *d, uint64_t t_ns) {
    if (d->time_synced) {
        /* samples taken before the sync keep counting from the sync point backwards */
        if (t_ns >= d->sync_at_ns) return d->sync_unix_us + (t_ns - d->sync_at_ns) / 1000u;
        return d->sync_unix_us - (d->sync_at_ns - t_ns) / 1000u;
    }
    return t_ns / 1000u;
}

static void drain(csm_device *d);

/* Every frame consumes a seq, sent or dropped, so the host's seq gap counts the loss. A queued frame
 * starts the transmitter at once (as a UART interrupt or DMA would), not at the next poll. */
static bool send(csm_device *d, uint8_t type, const csm_iov *iov, size_t niov, size_t reserve) {
    bool queued = csm_txbuf_frame(&d->tx, type, d->frame_seq++, iov, niov, reserve);
    if (queued) drain(d);
    return queued;
}

static bool send1(csm_device *d, uint8_t type, const uint8_t *payload, size_t len) {
    csm_iov iov = {payload, len};
    return send(d, type, &iov, 1, 0);
}

static void send_event(csm_device *d, uint16_t code, uint8_t severity, uint32_t arg0, uint64_t arg1) {
    uint8_t p[CSM_EVENT_SIZE];
    csm_encode_event(p, code, severity, arg0, arg1, csm_device_time_us(d, now_ns(d)));
    send1(d, CSM_T_EVENT, p, sizeof p);
}

static void send_ack(csm_device *d, uint8_t type, uint8_t status, uint32_t seq) {
    uint8_t p[CSM_ACK_SIZE];
    csm_encode_ack(p, type, status, seq);
    send1(d, CSM_T_ACK, p, sizeof p);
}

static void send_hello(csm_device *d) {
    csm_hello h;
    memset(&h, 0, sizeof h);
    memcpy(h.device, d->address, 20);
    memcpy(h.fw_version, d->cfg.fw_version, 3);
    h.flags = d->hal.sensor->hello_flags;
    if (d->time_synced) h.flags |= CSM_HELLO_FLAG_TIME_SYNCED;
    if (d->state.flags & CSM_STATE_BOUND) h.flags |= CSM_HELLO_FLAG_BOUND;
    h.hw_version = d->cfg.hw_version;
    h.hw_class = d->cfg.hw_class;
    h.rated_power_w = d->cfg.rated_power_w;
    h.sample_rate_hz = d->rate_hz;
    h.v_lsb = 1.0 / (double)d->hal.sensor->v_codes_per_volt;
    h.i_lsb = 1.0 / (double)d->hal.sensor->i_codes_per_amp;
    for (size_t k = 0; d->cfg.calibration_id && k < sizeof h.calibration_id && d->cfg.calibration_id[k]; k++)
        h.calibration_id[k] = d->cfg.calibration_id[k];
    h.boot_count = d->state.boot_count;
    h.checkpoint_seq = d->state.checkpoint_seq;
    h.checkpoint_interval_s = d->cfg.checkpoint_interval_s;
    memcpy(h.deployment_id, d->state.deployment_id, 32);
    h.uptime_us = now_ns(d) / 1000u;
    h.attestation = d->cfg.attestation;
    uint8_t p[CSM_HELLO_SIZE];
    csm_encode_hello(&h, p);
    send1(d, CSM_T_HELLO, p, sizeof p);
}

static uint16_t block_target_for(const csm_device_config *cfg, uint32_t rate_hz) {
    uint64_t n = (uint64_t)rate_hz * cfg->block_ms / 1000u;
    uint32_t max = cfg->block_samples_max && cfg->block_samples_max < CSM_MAX_BLOCK_SAMPLES ? cfg->block_samples_max
                                                                                          : CSM_MAX_BLOCK_SAMPLES;
    if (n < 1) n = 1;
    if (n > max) n = max;
    return (uint16_t)n;
}

static void set_schedule(csm_device *d, uint32_t rate_hz, uint64_t base_ns) {
    d->rate_hz = rate_hz;
    d->period_ns = (uint32_t)(NS_PER_S / rate_hz);
    d->base_ns = base_ns;
    d->base_index = d->sample_index;
    d->block_target = block_target_for(&d->cfg, rate_hz);
}

static uint64_t due_ns(const csm_device *d, uint64_t index) {
    return d->base_ns + (index - d->base_index) * (uint64_t)d->period_ns;
}

/* Closes the block being filled: energy always counts what was measured; the hash chain covers the
 * blocks that were actually queued, so a host that saw every block can verify the chain exactly and
 * a dropped block shows up as a first_sample gap and a TX_OVERFLOW event instead. */
static void close_block(csm_device *d) {
    uint16_t n = d->block_count;
    if (n == 0) return;
    uint8_t *p = d->block;
    if (n < d->block_target) /* early close: current codes move next to the voltage codes */
        memmove(p + CSM_BLOCK_HEADER + 4u * n, p + CSM_BLOCK_HEADER + 4u * d->block_target, 4u * n);
    uint16_t flags = d->block_flags;
    /* After a sync every t0 is unix time (earlier samples count back from the sync point), so the flag
     * says so; a block in progress at the TIME_SYNC was closed before it, in boot time, unflagged. */
    if (d->time_synced) flags |= CSM_BLOCK_FLAG_TIME_SYNCED;
    csm_encode_block_header(p, d->block_first, csm_device_time_us(d, d->block_t0_ns), d->period_ns, n, flags);
    size_t len = CSM_BLOCK_HEADER + 8u * n;
    csm_energy_add(&d->energy, d->block_sum, d->period_ns);
    csm_iov iov = {p, len};
    if (send(d, CSM_T_SAMPLE_BLOCK, &iov, 1, CSM_CONTROL_RESERVE)) {
        csm_keccak k;
        csm_keccak_init(&k);
        csm_keccak_update(&k, d->chain_head, 32);
        csm_keccak_update(&k, p, len);
        csm_keccak_final(&k, d->chain_head);
        d->blocks_sent++;
    } else {
        d->blocks_dropped++;
    }
    d->block_count = 0;
    d->block_flags = 0;
    d->block_sum = 0;
}

static void take_sample(csm_device *d, uint64_t t_ns) {
    int32_t v = 0, i = 0;
    int err = d->hal.sensor->sample(d->hal.sensor->ctx, t_ns, &v, &i);
    if (err) {
        if (!d->sensor_fault) send_event(d, CSM_EV_SENSOR_FAULT, 2, (uint32_t)err, 0);
        d->sensor_fault = err;
        v = i = 0; /* a failed read is recorded as zero, never as a repeat of the last value */
    } else {
        d->sensor_fault = 0;
    }
    if (d->block_count == 0) {
        d->block_first = d->sample_index;
        d->block_t0_ns = t_ns;
    }
    int32_t fs = d->hal.sensor->full_scale;
    if (v >= fs || v <= -fs) d->block_flags |= CSM_BLOCK_FLAG_V_CLIPPED;
    if (i >= fs || i <= -fs) d->block_flags |= CSM_BLOCK_FLAG_I_CLIPPED;
    uint8_t *p = d->block + CSM_BLOCK_HEADER;
    csm_put_le32(p + 4u * d->block_count, (uint32_t)v);
    csm_put_le32(p + 4u * d->block_target + 4u * d->block_count, (uint32_t)i);
    d->block_sum += csm_positive_product(v, i);
    d->sample_index++;
    if (++d->block_count == d->block_target) close_block(d);
}

static void run_sampler(csm_device *d, uint64_t now) {
    uint64_t t = due_ns(d, d->sample_index);
    if (now > t && now - t > (uint64_t)d->cfg.max_lag_ms * 1000000u) {
        /* Too far behind (CPU or link could not keep up): skip to now. The skipped samples are never
         * invented; first_sample of the next block shows exactly how many are missing. */
        close_block(d);
        uint64_t behind = (now - t) / d->period_ns;
        d->sample_index += behind;
        d->samples_skipped += behind;
        t = due_ns(d, d->sample_index);
    }
    unsigned budget = CSM_MAX_BLOCK_SAMPLES; /* keep commands and the link serviced between bursts */
    while (t <= now && budget--) {
        take_sample(d, t);
        t = due_ns(d, d->sample_index);
    }
}

static int persist(csm_device *d) {
    d->state.energy_mwh = d->energy.mwh;
    d->state.energy_rem = d->energy.rem;
    if (csm_store_commit(&d->store, &d->state) != 0) {
        d->store_failures++;
        return -1;
    }
    return 0;
}

/* Reserves the next seq in flash before it is used: after a power cut it may be skipped, never reused. */
static int reserve_seq(csm_device *d, uint32_t *seq) {
    uint32_t prev = d->state.checkpoint_seq;
    d->state.checkpoint_seq = prev + 1;
    if (persist(d) != 0) {
        d->state.checkpoint_seq = prev;
        return -1;
    }
    *seq = prev + 1;
    return 0;
}

static int sign_message(csm_device *d, const uint8_t *msg, size_t len, uint8_t sig[CSM_SIG_SIZE]) {
    uint8_t digest[32];
    csm_keccak256(msg, len, digest);
    if (d->hal.signer->sign(d->hal.signer->ctx, digest, sig) != 0) {
        d->signing_failures++;
        return -1;
    }
    return 0;
}

int csm_device_checkpoint(csm_device *d) {
    close_block(d);
    uint32_t seq;
    if (reserve_seq(d, &seq) != 0) return -1;
    csm_checkpoint_msg m;
    memcpy(m.device, d->address, 20);
    memcpy(m.deployment_id, d->state.deployment_id, 32);
    m.seq = seq;
    m.energy_mwh = d->energy.mwh;
    m.device_time = csm_device_time_us(d, now_ns(d)) / 1000000u;
    memcpy(m.chain_head, d->chain_head, 32);
    uint8_t p[CSM_CKPT_MSG_SIZE + CSM_SIG_SIZE];
    csm_encode_checkpoint_msg(&m, p);
    if (sign_message(d, p, CSM_CKPT_MSG_SIZE, p + CSM_CKPT_MSG_SIZE) != 0) return -1;
    send1(d, CSM_T_CHECKPOINT, p, sizeof p);
    return 0;
}

static void handle_bind(csm_device *d, const uint8_t *payload, uint32_t cmd_seq) {
    close_block(d);
    uint32_t saved_flags = d->state.flags;
    uint8_t saved_dep[32];
    memcpy(saved_dep, d->state.deployment_id, 32);
    memcpy(d->state.deployment_id, payload + 32, 32);
    d->state.flags |= CSM_STATE_BOUND;
    uint32_t seq;
    if (reserve_seq(d, &seq) != 0) {
        d->state.flags = saved_flags;
        memcpy(d->state.deployment_id, saved_dep, 32);
        send_ack(d, CSM_T_BIND_REQUEST, CSM_ACK_BUSY, cmd_seq);
        return;
    }
    csm_bind_msg m;
    memcpy(m.device, d->address, 20);
    memcpy(m.wallet, payload, 32);
    memcpy(m.deployment_id, payload + 32, 32);
    m.seq = seq;
    m.energy_mwh = d->energy.mwh;
    m.device_time = csm_device_time_us(d, now_ns(d)) / 1000000u;
    m.region = csm_get_le16(payload + 64);
    uint8_t p[CSM_BIND_MSG_SIZE + CSM_SIG_SIZE];
    csm_encode_bind_msg(&m, p);
    if (sign_message(d, p, CSM_BIND_MSG_SIZE, p + CSM_BIND_MSG_SIZE) != 0) {
        send_ack(d, CSM_T_BIND_REQUEST, CSM_ACK_BUSY, cmd_seq);
        return;
    }
    send1(d, CSM_T_BIND_SIGNATURE, p, sizeof p);
}

static void handle_command(csm_device *d, uint8_t type, uint32_t seq, const uint8_t *p, size_t n) {
    switch (type) {
    case CSM_T_GET_INFO:
        if (n != 0) break;
        send_hello(d);
        return;
    case CSM_T_REQUEST_CHECKPOINT:
        if (n != 0) break;
        if (csm_device_checkpoint(d) != 0) send_ack(d, type, CSM_ACK_BUSY, seq);
        return;
    case CSM_T_SET_RATE: {
        if (n != 4) break;
        uint32_t rate = csm_get_le32(p), old = d->rate_hz;
        if (rate < 1 || rate > CSM_MAX_RATE_HZ) {
            send_ack(d, type, CSM_ACK_BAD_VALUE, seq);
            return;
        }
        close_block(d); /* PROTOCOL.md 3.7: the current block is finished first */
        set_schedule(d, rate, due_ns(d, d->sample_index));
        if (d->hal.sensor->set_rate) d->hal.sensor->set_rate(d->hal.sensor->ctx, rate);
        send_ack(d, type, CSM_ACK_OK, seq);
        if (rate != old) send_event(d, CSM_EV_RATE_CHANGED, 0, rate, old);
        return;
    }
    case CSM_T_TIME_SYNC: {
        if (n != 8) break;
        uint64_t t = now_ns(d);
        close_block(d); /* a block never mixes time bases */
        uint64_t previous = csm_device_time_us(d, t);
        d->time_synced = true;
        d->sync_unix_us = csm_get_le64(p);
        d->sync_at_ns = t;
        send_ack(d, type, CSM_ACK_OK, seq);
        send_event(d, CSM_EV_TIME_SYNCED, 0, 0, previous);
        return;
    }
    case CSM_T_BIND_REQUEST:
        if (n != CSM_BIND_REQUEST_SIZE) break;
        handle_bind(d, p, seq);
        return;
    default:
        if (type < 0x80) return; /* a device-to-host type echoed back: not a command, ignore */
        send_ack(d, type, CSM_ACK_NOT_SUPPORTED, seq);
        return;
    }
    send_ack(d, type, CSM_ACK_BAD_LENGTH, seq);
}

void csm_device_receive(csm_device *d, const uint8_t *bytes, size_t len) {
    for (size_t k = 0; k < len; k++)
        if (csm_rx_byte(&d->rx, bytes[k]) == CSM_RX_FRAME)
            handle_command(d, d->rx.type, d->rx.seq, d->rx.payload, d->rx.payload_len);
}

/* Losses are summed and reported at most once a second, so a stalled host does not get a stream of
 * events that would themselves fill the reserve. */
static void report_overflow(csm_device *d, uint64_t now) {
    if (!d->tx.dropped_frames || now < d->next_overflow_report_ns ||
        csm_txbuf_free(&d->tx) < csm_frame_wire_max(CSM_EVENT_SIZE))
        return;
    d->next_overflow_report_ns = now + NS_PER_S;
    uint32_t frames = d->tx.dropped_frames;
    uint64_t bytes = d->tx.dropped_bytes;
    d->tx.dropped_frames = 0;
    d->tx.dropped_bytes = 0;
    send_event(d, CSM_EV_TX_OVERFLOW, 1, frames, bytes);
}

static void check_energy(csm_device *d) {
    uint64_t sensor;
    if (!d->hal.sensor->energy_mwh || d->hal.sensor->energy_mwh(d->hal.sensor->ctx, &sensor) != 0) return;
    uint64_t fw = d->energy.mwh - d->energy_base_mwh;
    uint64_t hw = sensor - d->sensor_energy_base;
    uint64_t diff = hw > fw ? hw - fw : fw - hw;
    /* The two integrate differently (the INA228 between our samples too): flag beyond 2 % + 2 mWh. */
    if (diff > 2u + (fw > hw ? fw : hw) / 50u) send_event(d, CSM_EV_ENERGY_MISMATCH, 1, (uint32_t)hw, fw);
}

static void drain(csm_device *d) {
    const csm_transport *link = d->hal.link;
    for (;;) {
        const uint8_t *p;
        size_t n = csm_txbuf_peek(&d->tx, &p);
        if (n == 0) return;
        size_t sent = link->write(link->ctx, p, n);
        csm_txbuf_consume(&d->tx, sent);
        d->link_blocked = sent < n;
        if (sent < n) return;
    }
}

bool csm_device_idle(const csm_device *d) {
    if (due_ns(d, d->sample_index) <= now_ns(d)) return false;
    return d->tx.used == 0 || d->link_blocked;
}

void csm_device_poll(csm_device *d) {
    uint8_t in[64];
    size_t n;
    while ((n = d->hal.link->read(d->hal.link->ctx, in, sizeof in)) > 0) csm_device_receive(d, in, n);
    drain(d); /* before a burst of sampling, so the link is never idle while a block waits */
    uint64_t now = now_ns(d);
    run_sampler(d, now);
    if (d->cfg.checkpoint_interval_s && now >= d->next_checkpoint_ns) {
        d->next_checkpoint_ns += (uint64_t)d->cfg.checkpoint_interval_s * NS_PER_S;
        csm_device_checkpoint(d);
    }
    if (d->cfg.hello_interval_s && now >= d->next_hello_ns) {
        d->next_hello_ns += (uint64_t)d->cfg.hello_interval_s * NS_PER_S;
        send_hello(d);
    }
    if (d->cfg.energy_check_s && now >= d->next_energy_check_ns) {
        d->next_energy_check_ns += (uint64_t)d->cfg.energy_check_s * NS_PER_S;
        check_energy(d);
    }
    report_overflow(d, now);
    drain(d);
}

int csm_device_boot(csm_device *d, const csm_device_config *cfg, const csm_hal *hal, uint32_t reset_reason) {
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    d->hal = *hal;
    d->reset_reason = reset_reason;
    if (!cfg->block_storage || !cfg->tx_storage) return -1;
    d->block = cfg->block_storage;
    csm_txbuf_init(&d->tx, cfg->tx_storage, cfg->tx_capacity);
    csm_rx_init(&d->rx, d->rx_enc, sizeof d->rx_enc, d->rx_raw, sizeof d->rx_raw);
    if (csm_store_open(&d->store, hal->flash, &d->state) < 0) return -1;
    if (csm_energy_init(&d->energy, hal->sensor->v_codes_per_volt, hal->sensor->i_codes_per_amp,
                        d->state.energy_mwh, d->state.energy_rem) != 0)
        return -1;
    d->state.boot_count++;
    if (persist(d) != 0) return -1;
    if (hal->signer->address(hal->signer->ctx, d->address) != 0) return -1;
    uint32_t rate = cfg->sample_rate_hz ? cfg->sample_rate_hz : 1000u;
    if (rate > CSM_MAX_RATE_HZ) rate = CSM_MAX_RATE_HZ;
    uint64_t now = now_ns(d);
    set_schedule(d, rate, now);
    if (hal->sensor->set_rate) hal->sensor->set_rate(hal->sensor->ctx, rate);
    d->energy_base_mwh = d->energy.mwh;
    if (hal->sensor->energy_mwh) hal->sensor->energy_mwh(hal->sensor->ctx, &d->sensor_energy_base);
    d->next_hello_ns = now + (uint64_t)cfg->hello_interval_s * NS_PER_S;
    d->next_checkpoint_ns = now + (uint64_t)cfg->checkpoint_interval_s * NS_PER_S;
    d->next_energy_check_ns = now + (uint64_t)cfg->energy_check_s * NS_PER_S;
    send_event(d, CSM_EV_RESET, 0, reset_reason, d->state.boot_count);
    send_hello(d);
    drain(d);
    return 0;
}
