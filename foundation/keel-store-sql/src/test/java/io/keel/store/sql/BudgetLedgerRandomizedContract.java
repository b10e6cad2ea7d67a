package io.keel.store.sql;

import io.keel.core.budget.Budget;
import io.keel.core.budget.BudgetExceededException;
import io.keel.core.budget.BudgetLedger.Charge;
import io.keel.core.budget.BudgetLedger.Reservation;
import io.keel.core.budget.BudgetLedger.Spend;
import io.keel.core.budget.Nanos;
import io.keel.test.ManualClock;
import io.keel.test.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The budget ledger under seeded random operations — reservations across several budgets (some refused), settlements
 * above and below the reservation, double settlements, releases of stale reservations, reopening — checked against an
 * in-memory reference of spent and reserved amounts per budget bucket. Time is a {@link ManualClock} that walks across
 * day and month boundaries, so the budget windows change under the test; the ledger reads reservation ages from the
 * same clock. {@code -Dkeel.seed=HEX} replays a failure.
 */
abstract class BudgetLedgerRandomizedContract extends StoreContract {
    private static final Duration STALE_AFTER = Duration.ofMinutes(15);
    private static final Duration KEEP_RELEASED = Duration.ofDays(7);
    private static final Budget TENANT_DAILY = new Budget("tenant", "*", Budget.Period.DAY, new BigDecimal("1.00"));
    private static final Budget SUPPORT_MONTHLY = new Budget("app", "support", Budget.Period.MONTH, new BigDecimal("6.00"));
    private static final Budget USER_DAILY = new Budget("user", "*", Budget.Period.DAY, new BigDecimal("0.40"));
    private static final String[] TENANTS = {"acme", "globex"};
    private static final String[] USERS = {"ann", "bo", "cy"};

    @RegisterExtension
    final Seeds seeds = new Seeds();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-28T18:00:00Z"));
    /** Bucket key to {spent, reserved}. */
    private final Map<String, long[]> amounts = new HashMap<>();
    private final List<Held> outstanding = new ArrayList<>();
    private Random random;

    /** A reservation the reference knows: when it was made, and whether the ledger gave its amount back. */
    private static final class Held {
        final Reservation reservation;
        final Instant created;
        boolean released;
        boolean forgotten;

        Held(Reservation reservation, Instant created) {
            this.reservation = reservation;
            this.created = created;
        }
    }

    @Test
    void randomizedOperationsMatchTheReference() {
        random = seeds.random();
        Database db = db();
        SqlBudgetLedger ledger = track(new SqlBudgetLedger(db, STALE_AFTER, clock));
        int granted = 0;
        int refused = 0;
        int released = 0;
        for (int op = 0; op < 500; op++) {
            clock.advance(Duration.ofSeconds(random.nextInt(random.nextInt(10) == 0 ? 36_000 : 600)));
            int r = random.nextInt(100);
            if (r < 45) {
                List<Charge> charges = randomCharges();
                long nanos = Nanos.of(new BigDecimal(random.nextInt(30)).movePointLeft(2));
                Instant at = clock.instant();
                if (fits(charges, nanos, at)) {
                    Reservation res = ledger.reserve(charges, nanos, at);
                    assertThat(res.nanos()).isEqualTo(nanos);
                    for (int i = 0; i < charges.size(); i++) amounts(key(charges.get(i), res.buckets().get(i)))[1] += nanos;
                    outstanding.add(new Held(res, at));
                    granted++;
                } else {
                    SqlBudgetLedger current = ledger;
                    assertThatThrownBy(() -> current.reserve(charges, nanos, at)).as("a reservation over a limit")
                            .isInstanceOf(BudgetExceededException.class);
                    refused++;
                }
            } else if (r < 75 && !outstanding.isEmpty()) {
                Held h = outstanding.get(random.nextInt(outstanding.size()));
                long actual = Math.max(0, h.reservation.nanos() + Nanos.of(new BigDecimal(random.nextInt(21) - 10).movePointLeft(2)));
                ledger.settle(h.reservation, actual);
                settle(h, actual);
                if (random.nextInt(4) == 0) ledger.settle(h.reservation, actual); // a second settlement changes nothing
            } else if (r < 80) {
                Duration staleAfter = Duration.ofMinutes(1 + random.nextInt(60));
                int expected = releaseStale(staleAfter);
                assertThat(ledger.releaseStale(staleAfter)).as("charges released older than %s", staleAfter).isEqualTo(expected);
                released += expected;
            } else if (r < 83) {
                ledger.close();
                ledger = track(new SqlBudgetLedger(db, STALE_AFTER, clock));
                released += releaseStale(STALE_AFTER); // an opening ledger releases what a dead process left
            } else {
                checkSpend(ledger);
            }
        }
        checkSpend(ledger);
        for (String k : amounts.keySet()) checkKey(ledger, k);
        assertThat(granted).as("reservations granted").isPositive();
        assertThat(refused).as("reservations refused").isPositive();
        assertThat(released).as("stale charges released").isPositive();
    }

    private List<Charge> randomCharges() {
        Set<Charge> out = new LinkedHashSet<>();
        if (random.nextInt(5) > 0) out.add(new Charge(TENANT_DAILY, TENANTS[random.nextInt(TENANTS.length)]));
        if (random.nextBoolean()) out.add(new Charge(SUPPORT_MONTHLY, "support"));
        if (random.nextInt(3) > 0) out.add(new Charge(USER_DAILY, USERS[random.nextInt(USERS.length)]));
        return List.copyOf(out);
    }

    private boolean fits(List<Charge> charges, long nanos, Instant at) {
        for (Charge c : charges) {
            long[] a = amounts(key(c, c.budget().period().bucket(at)));
            if (a[0] + a[1] + nanos > c.budget().limitNanos()) return false;
        }
        return true;
    }

    private void settle(Held h, long actual) {
        if (h.forgotten || !outstanding.remove(h)) return;
        Reservation res = h.reservation;
        for (int i = 0; i < res.charges().size(); i++) {
            long[] a = amounts(key(res.charges().get(i), res.buckets().get(i)));
            a[0] += actual;
            if (!h.released) a[1] -= res.nanos();
        }
    }

    /** What {@link SqlBudgetLedger#releaseStale} does, on the reference: the number of charges it gives back. */
    private int releaseStale(Duration staleAfter) {
        Instant now = clock.instant();
        long cutoff = now.toEpochMilli() - staleAfter.toMillis();
        int charges = 0;
        for (Held h : outstanding) {
            if (h.released || h.created.toEpochMilli() > cutoff) continue;
            h.released = true;
            Reservation res = h.reservation;
            for (int i = 0; i < res.charges().size(); i++) amounts(key(res.charges().get(i), res.buckets().get(i)))[1] -= res.nanos();
            charges += res.charges().size();
        }
        long forgetBefore = now.toEpochMilli() - KEEP_RELEASED.toMillis();
        for (Held h : outstanding) {
            if (h.released && h.created.toEpochMilli() <= forgetBefore) h.forgotten = true;
        }
        outstanding.removeIf(h -> h.forgotten);
        return charges;
    }

    private void checkSpend(SqlBudgetLedger ledger) {
        Instant at = clock.instant();
        for (String t : TENANTS) check(ledger, new Charge(TENANT_DAILY, t), at);
        for (String u : USERS) check(ledger, new Charge(USER_DAILY, u), at);
        check(ledger, new Charge(SUPPORT_MONTHLY, "support"), at);
    }

    private void check(SqlBudgetLedger ledger, Charge charge, Instant at) {
        long[] a = amounts.getOrDefault(key(charge, charge.budget().period().bucket(at)), new long[2]);
        assertThat(ledger.spend(charge, at)).as("spend of %s/%s at %s", charge.budget().scope(), charge.subject(), at)
                .isEqualTo(new Spend(a[0], a[1], charge.budget().limitNanos()));
    }

    private void checkKey(SqlBudgetLedger ledger, String key) {
        String[] parts = key.split("\\|");
        Budget b = switch (parts[0]) {
            case "tenant" -> TENANT_DAILY;
            case "app" -> SUPPORT_MONTHLY;
            default -> USER_DAILY;
        };
        Instant at = Instant.parse((parts[3].length() == 7 ? parts[3] + "-01" : parts[3]) + "T12:00:00Z");
        check(ledger, new Charge(b, parts[1]), at);
    }

    private long[] amounts(String key) {
        return amounts.computeIfAbsent(key, k -> new long[2]);
    }

    private static String key(Charge c, String bucket) {
        return c.budget().scope() + "|" + c.subject() + "|" + c.budget().period() + "|" + bucket;
    }
}
