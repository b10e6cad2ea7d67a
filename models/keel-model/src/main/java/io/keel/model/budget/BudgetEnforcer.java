package io.keel.model.budget;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.budget.Budget;
import io.keel.core.budget.BudgetExceededException;
import io.keel.core.budget.BudgetLedger;
import io.keel.core.budget.Nanos;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatRequest;
import io.keel.core.security.Principal;
import io.keel.model.ModelGateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Budgets for gateway calls: reserves a request's worst case ({@link ModelGateway#worstCaseNanos}) against every budget
 * that applies to the caller, and settles with the priced usage when the call ends. The ledger makes the reservation
 * atomic, so concurrent requests cannot overspend.
 *
 * <p>A budget applies when its scope's tag on the caller equals its subject, or when its subject is {@code *} and the
 * caller has that tag (each tenant, app or user then gets its own limit). A credential with its own budget
 * ({@link Principal.KeyBudget}) is charged under scope {@code key} with its id as subject, next to every configured
 * budget that applies.
 */
public final class BudgetEnforcer implements SpendControl, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BudgetEnforcer.class.getName());
    /** Scopes a budget may name; {@code key} arrives with API keys. */
    public static final List<String> SCOPES = List.of("tenant", "app", "user");

    private final BudgetLedger ledger;
    private final List<Budget> budgets;
    private final ModelGateway gateway;
    private final int defaultMaxTokens;
    private final Clock clock;

    /** @param defaultMaxTokens the completion tokens reserved for a request that sets no {@code max_tokens} */
    public BudgetEnforcer(BudgetLedger ledger, List<Budget> budgets, ModelGateway gateway, int defaultMaxTokens, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.budgets = List.copyOf(budgets);
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        if (defaultMaxTokens < 1) throw new IllegalArgumentException("defaultMaxTokens must be >= 1");
        this.defaultMaxTokens = defaultMaxTokens;
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Budget b : budgets) {
            if (!SCOPES.contains(b.scope())) throw new IllegalArgumentException("budget scope '" + b.scope() + "' is not one of " + SCOPES);
        }
    }

    @Override
    public Hold reserve(Caller caller, ChatRequest request) {
        List<BudgetLedger.Charge> charges = charges(caller);
        if (charges.isEmpty()) return Hold.NONE;
        long worst = gateway.worstCaseNanos(request, defaultMaxTokens);
        BudgetLedger.Reservation reservation;
        try {
            reservation = ledger.reserve(charges, worst, clock.instant());
        } catch (BudgetExceededException e) {
            throw new BudgetExceededException(e.budget(), e.getMessage() + " (model '" + request.model() + "', "
                    + (request.maxTokens() == null ? "no max_tokens set, so " + defaultMaxTokens + " completion tokens reserved"
                    : "max_tokens " + request.maxTokens()) + "). Lower max_tokens, wait for the next period, or raise the budget.");
        }
        AtomicBoolean settled = new AtomicBoolean();
        return actual -> {
            if (!settled.compareAndSet(false, true)) return;
            try {
                ledger.settle(reservation, Nanos.of((actual == null ? Usage.ZERO : actual).costUsd()));
            } catch (RuntimeException e) {
                // The call already happened and its answer must reach the caller; the ledger releases the reservation
                // as stale later, and the spend is still in the request log.
                LOG.log(System.Logger.Level.ERROR, "settling budget reservation " + reservation.id() + " failed: " + e.getMessage(), e);
            }
        };
    }

    List<BudgetLedger.Charge> charges(Caller caller) {
        List<BudgetLedger.Charge> out = new ArrayList<>();
        for (Budget b : budgets) {
            String tag = switch (b.scope()) {
                case "tenant" -> caller.tenant();
                case "app" -> caller.app();
                case "user" -> caller.user();
                default -> null;
            };
            if (tag == null) continue;
            if (b.subject().equals("*") || b.subject().equals(tag)) out.add(new BudgetLedger.Charge(b, tag));
        }
        Principal p = caller.principal();
        if (p != null && p.limits().budget() != null) {
            Principal.KeyBudget kb = p.limits().budget();
            out.add(new BudgetLedger.Charge(new Budget("key", p.id(), kb.period(), kb.limitUsd()), p.id()));
        }
        return out;
    }

    /** Closes the ledger (its background work; the database stays open). */
    @Override
    public void close() {
        ledger.close();
    }
}
