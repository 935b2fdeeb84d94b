/* Wear-levelled persistent state: survives resets, spreads erases, and never lets a checkpoint seq
 * be used twice even when power fails at any byte of any flash operation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csm/store.h"
#include "fakes.h"

static void a_blank_flash_opens_empty_and_keeps_what_is_committed(void **state) {
    (void)state;
    fake_flash f;
    csm_flash hal;
    fake_flash_init(&f, 1024, 4);
    fake_flash_hal(&f, &hal);
    csm_store s;
    csm_state st;
    assert_int_equal(csm_store_open(&s, &hal, &st), 0);
    assert_int_equal(st.checkpoint_seq, 0);
    st.checkpoint_seq = 41;
    st.boot_count = 7;
    st.energy_mwh = 123456789012ull;
    st.energy_rem = 99;
    st.flags = CSM_STATE_BOUND;
    memset(st.deployment_id, 0x5A, 32);
    assert_int_equal(csm_store_commit(&s, &st), 0);
    csm_state back;
    assert_int_equal(csm_store_open(&s, &hal, &back), 1);
    assert_memory_equal(&back, &st, sizeof st);
    fake_flash_free(&f);
}

static void erases_rotate_over_every_sector(void **state) {
    (void)state;
    fake_flash f;
    csm_flash hal;
    fake_flash_init(&f, 1024, 4);
    fake_flash_hal(&f, &hal);
    csm_store s;
    csm_state st;
    csm_store_open(&s, &hal, &st);
    for (uint32_t k = 1; k <= 14 * 4 * 25; k++) { /* 14 records per 1 KiB sector */
        st.checkpoint_seq = k;
        assert_int_equal(csm_store_commit(&s, &st), 0);
        if (k % 97 == 0) { /* reboot now and then */
            assert_int_equal(csm_store_open(&s, &hal, &st), 1);
            assert_int_equal(st.checkpoint_seq, k);
        }
    }
    for (int k = 0; k < 4; k++) assert_in_range(f.erase_count[k], 24, 26);
    fake_flash_free(&f);
}

/* The device's rule: reserve seq n+1 with a commit, use it only if the commit succeeded. */
static void power_loss_at_any_byte_never_repeats_a_seq(void **state) {
    (void)state;
    /* Run a reference sequence to learn how many flash bytes N commits spend, then cut power at every
     * byte position in that range and check the invariant after reboot. */
    const uint32_t commits = 40;
    fake_flash f;
    csm_flash hal;
    for (long cut = 0;; cut++) {
        fake_flash_init(&f, 512, 3);
        fake_flash_hal(&f, &hal);
        csm_store s;
        csm_state st;
        csm_store_open(&s, &hal, &st);
        f.budget = cut;
        uint32_t used_max = 0; /* highest seq the device would have signed with */
        uint32_t k;
        for (k = 0; k < commits; k++) {
            st.checkpoint_seq = used_max + 1;
            st.energy_mwh = 1000u + used_max;
            if (csm_store_commit(&s, &st) != 0) break;
            used_max = st.checkpoint_seq;
        }
        int finished = k == commits && !f.dead;
        fake_flash_power_on(&f);
        csm_state back;
        assert_true(csm_store_open(&s, &hal, &back) >= 0);
        /* never below a seq that was used: the next reservation is strictly greater */
        assert_true(back.checkpoint_seq >= used_max);
        assert_true(back.checkpoint_seq <= used_max + 1);
        assert_true(back.checkpoint_seq == 0 || back.energy_mwh == 1000u + back.checkpoint_seq - 1);
        /* and the store keeps working after the power cut */
        back.checkpoint_seq++;
        assert_int_equal(csm_store_commit(&s, &back), 0);
        csm_state again;
        assert_int_equal(csm_store_open(&s, &hal, &again), 1);
        assert_int_equal(again.checkpoint_seq, back.checkpoint_seq);
        fake_flash_free(&f);
        if (finished) break;
    }
}

static void repeated_power_loss_during_one_erase_keeps_the_newest_record(void **state) {
    (void)state;
    fake_flash f;
    csm_flash hal;
    fake_flash_init(&f, 256, 2); /* 3 records per sector */
    fake_flash_hal(&f, &hal);
    csm_store s;
    csm_state st;
    csm_store_open(&s, &hal, &st);
    for (uint32_t k = 1; k <= 3; k++) {
        st.checkpoint_seq = k;
        csm_store_commit(&s, &st);
    }
    for (int attempt = 0; attempt < 5; attempt++) { /* the 4th record needs an erase of sector 1 */
        f.budget = 100;                             /* dies in the middle of that erase */
        st.checkpoint_seq = 4;
        assert_int_equal(csm_store_commit(&s, &st), -1);
        fake_flash_power_on(&f);
        assert_int_equal(csm_store_open(&s, &hal, &st), 1);
        assert_int_equal(st.checkpoint_seq, 3);
    }
    st.checkpoint_seq = 4;
    assert_int_equal(csm_store_commit(&s, &st), 0);
    assert_int_equal(csm_store_open(&s, &hal, &st), 1);
    assert_int_equal(st.checkpoint_seq, 4);
    fake_flash_free(&f);
}

static void a_flash_too_small_is_refused(void **state) {
    (void)state;
    fake_flash f;
    csm_flash hal;
    fake_flash_init(&f, 1024, 1);
    fake_flash_hal(&f, &hal);
    csm_store s;
    csm_state st;
    assert_int_equal(csm_store_open(&s, &hal, &st), -1);
    fake_flash_free(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_blank_flash_opens_empty_and_keeps_what_is_committed),
        cmocka_unit_test(erases_rotate_over_every_sector),
        cmocka_unit_test(power_loss_at_any_byte_never_repeats_a_seq),
        cmocka_unit_test(repeated_power_loss_during_one_erase_keeps_the_newest_record),
        cmocka_unit_test(a_flash_too_small_is_refused),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
