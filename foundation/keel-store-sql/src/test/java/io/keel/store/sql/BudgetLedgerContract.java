package io.keel.store.sql;

import io.keel.core.budget.Budget;
import io.keel.core.budget.BudgetExceededException;
import io.keel.core.budget.BudgetLedger.Charge;
import io.keel.core.budget.BudgetLedger.Reservation;
import io.keel.core.budget.BudgetLedger.Spend;
import io.keel.core.budget.Nanos;
import io.keel.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget ledger's behaviour, run against every dialect. */
abstract class BudgetLedgerContract extends StoreContract {
    static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");
    static final Budget TENANTS_DAILY = new Budget("tenant", "*", Budget.Period.DAY, new BigDecimal("5.00"));

    SqlBudgetLedger ledger(Database db) {
        return track(new SqlBudgetLedger(db));
    }

    static long usd(String amount) {
        return Nanos.of(new BigDecimal(amount));
    }

    @Test
    void racingReservationsNeverOverspend() throws Exception {
        SqlBudgetLedger ledger = ledger(db());
        Charge acme = new Charge(TENANTS_DAILY, "acme");
        int threads = 200;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Reservation> granted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicReference<Spend> worst = new AtomicReference<>(new Spend(0, 0, 0));
        Thread monitor = Thread.ofPlatform().start(() -> {
            while (racing.get()) {
                Spend s = ledger.spend(acme, AT);
                if (s.spentNanos() + s.reservedNanos() > worst.get().spentNanos() + worst.get().reservedNanos()) worst.set(s);
            }
        });
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    granted.add(ledger.reserve(List.of(acme), usd("0.10"), AT));
                } catch (BudgetExceededException e) {
                    refused.incrementAndGet();
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            }));
        }
        ready.await();
        go.countDown();
        for (Thread t : workers) t.join();
        racing.set(false);
        monitor.join();

        assertThat(unexpected.get()).isNull();
        assertThat(granted).hasSize(50);
        assertThat(refused.get()).isEqualTo(150);
        assertThat(worst.get().spentNanos() + worst.get().reservedNanos()).isLessThanOrEqualTo(usd("5.00"));
        assertThat(ledger.spend(acme, AT)).isEqualTo(new Spend(0, usd("5.00"), usd("5.00")));

        long actual = 0;
        for (int i = 0; i < granted.size(); i++) {
            long cost = usd("0.01") * (i % 7 + 1) + i; // odd nano-dollar amounts
            ledger.settle(granted.get(i), cost);
            actual += cost;
        }
        assertThat(ledger.spend(acme, AT)).isEqualTo(new Spend(actual, 0, usd("5.00")));
    }

    @Test
    void settlingTwiceChangesNothing() {
        SqlBudgetLedger ledger = ledger(db());
        Charge acme = new Charge(TENANTS_DAILY, "acme");
        Reservation r = ledger.reserve(List.of(acme), usd("0.50"), AT);
        assertThat(r.buckets()).containsExactly("2026-11-29");
        assertThat(ledger.spend(acme, AT)).isEqualTo(new Spend(0, usd("0.50"), usd("5.00")));
        ledger.settle(r, usd("0.20"));
        ledger.settle(r, usd("0.20"));
        ledger.settle(r, usd("0.90"));
        assertThat(ledger.spend(acme, AT)).isEqualTo(new Spend(usd("0.20"), 0, usd("5.00")));
        assertThat(ledger.spend(acme, AT).remainingNanos()).isEqualTo(usd("4.80"));
        // a settle can exceed the reservation (the call already happened): spend is what it cost
        ledger.settle(ledger.reserve(List.of(acme), usd("0.10"), AT), usd("0.30"));
        assertThat(ledger.spend(acme, AT).spentNanos()).isEqualTo(usd("0.50"));
    }

    @Test
    void staleReservationsAreReleasedWhenALedgerOpens() throws Exception {
        Database db = db();
        Charge acme = new Charge(TENANTS_DAILY, "acme");
        Reservation crashed;
        try (SqlBudgetLedger first = new SqlBudgetLedger(db)) {
            crashed = first.reserve(List.of(acme), usd("4.00"), AT);
        }
        // a restart within the stale age keeps it
        assertThat(ledger(db).spend(acme, AT).reservedNanos()).isEqualTo(usd("4.00"));
        Thread.sleep(5);
        SqlBudgetLedger reopened = track(new SqlBudgetLedger(db, Duration.ZERO));
        assertThat(reopened.spend(acme, AT)).isEqualTo(new Spend(0, 0, usd("5.00")));
        assertThat(reopened.reserve(List.of(acme), usd("4.50"), AT)).isNotNull();
        // the request of the crashed process settles after all: its actual cost is booked, nothing more is freed
        reopened.settle(crashed, usd("0.25"));
        assertThat(reopened.spend(acme, AT)).isEqualTo(new Spend(usd("0.25"), usd("4.50"), usd("5.00")));
        reopened.settle(crashed, usd("0.25"));
        assertThat(reopened.spend(acme, AT).spentNanos()).isEqualTo(usd("0.25"));
    }

    @Test
    void anExceededBudgetNamesItsNumbers() {
        SqlBudgetLedger ledger = ledger(db());
        Budget acmeDaily = new Budget("tenant", "acme", Budget.Period.DAY, new BigDecimal("5.00"));
        Charge acme = new Charge(acmeDaily, "acme");
        ledger.settle(ledger.reserve(List.of(acme), usd("5.00"), AT), usd("4.98"));
        ledger.reserve(List.of(acme), usd("0.01"), AT);
        assertThatThrownBy(() -> ledger.reserve(List.of(acme), usd("0.03"), AT))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
                    assertThat(e.budget()).isEqualTo(acmeDaily);
                })
                .hasMessage("tenant 'acme' daily budget for 2026-11-29 is $5.00: $4.98 spent and $0.01 reserved by "
                        + "requests in flight leave $0.01, less than this request's worst case of $0.03");
        Budget keyMonthly = new Budget("key", "*", Budget.Period.MONTH, new BigDecimal("0.001"));
        assertThatThrownBy(() -> ledger.reserve(List.of(new Charge(keyMonthly, "k-1")), usd("0.0023"), AT))
                .hasMessage("key 'k-1' monthly budget for 2026-11 is $0.001: $0.00 spent and $0.00 reserved by "
                        + "requests in flight leave $0.001, less than this request's worst case of $0.0023");
        // the next day and the next month start afresh
        assertThat(ledger.reserve(List.of(acme), usd("0.03"), AT.plus(Duration.ofDays(1))).buckets()).containsExactly("2026-11-30");
    }

    @Test
    void aReservationIsAllOrNothingAcrossBudgets() {
        SqlBudgetLedger ledger = ledger(db());
        Charge tenant = new Charge(TENANTS_DAILY, "acme");
        Charge app = new Charge(new Budget("app", "*", Budget.Period.MONTH, new BigDecimal("0.05")), "support-app");
        Charge named = new Charge(new Budget("tenant", "acme", Budget.Period.DAY, new BigDecimal("1.00")), "acme");
        assertThatThrownBy(() -> ledger.reserve(List.of(tenant, named, app), usd("0.10"), AT))
                .isInstanceOf(BudgetExceededException.class).hasMessageStartingWith("app 'support-app' monthly budget for 2026-11");
        assertThat(ledger.spend(tenant, AT)).isEqualTo(new Spend(0, 0, usd("5.00")));
        assertThat(ledger.spend(named, AT)).isEqualTo(new Spend(0, 0, usd("1.00")));
        Reservation ok = ledger.reserve(List.of(tenant, named, app), usd("0.04"), AT);
        assertThat(ok.buckets()).containsExactly("2026-11-29", "2026-11-29", "2026-11");
        // a '*' budget and a named budget for the same tenant keep separate counters
        assertThat(ledger.spend(tenant, AT).reservedNanos()).isEqualTo(usd("0.04"));
        assertThat(ledger.spend(named, AT).reservedNanos()).isEqualTo(usd("0.04"));
        ledger.settle(ok, usd("0.03"));
        assertThat(ledger.spend(app, AT)).isEqualTo(new Spend(usd("0.03"), 0, usd("0.05")));
        assertThat(ledger.spend(named, AT)).isEqualTo(new Spend(usd("0.03"), 0, usd("1.00")));
    }

    @Test
    void noChargesTouchNoTable() {
        Database db = db();
        SqlBudgetLedger ledger = ledger(db);
        Reservation r = ledger.reserve(List.of(), usd("1.00"), AT);
        assertThat(r.charges()).isEmpty();
        ledger.settle(r, usd("1.00"));
        int rows = db.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT (SELECT COUNT(*) FROM budget_spend) + (SELECT COUNT(*) FROM budget_reservations)")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(rows).isZero();
        assertThat(ledger.spend(new Charge(TENANTS_DAILY, "acme"), AT)).isEqualTo(new Spend(0, 0, usd("5.00")));
        assertThatThrownBy(() -> ledger.reserve(List.of(), -1, AT)).isInstanceOf(IllegalArgumentException.class);
    }
}
