package io.keel.server.security;

import io.keel.http.RouteTable;

import static io.keel.core.security.Role.ADMIN;
import static io.keel.core.security.Role.APP;
import static io.keel.core.security.Role.DEVELOPER;
import static io.keel.core.security.Role.VIEWER;

/**
 * Every route of the server and the roles that may call it: the one place access is decided. docs/security.md shows
 * the same table, and a test checks that the two agree and that every route the server registers is listed here.
 */
public final class AccessRoutes {
    public static final RouteTable TABLE = RouteTable.builder()
            .open("GET", "/health/live")
            .open("GET", "/health/ready")
            .open("GET", "/metrics")
            .open("GET", "/console")
            .open("GET", "/console/{+path}")
            .allow("POST", "/v1/query", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/retrieve", APP, DEVELOPER, ADMIN)
            .allow("GET", "/v1/graph/entities", APP, DEVELOPER, ADMIN)
            .allow("GET", "/v1/graph/entities/{id}", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/guard/scan", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/chat/completions", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/embeddings", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/agents/{name}/runs", APP, DEVELOPER, ADMIN)
            .allow("GET", "/v1/agents/runs/{id}", APP, DEVELOPER, ADMIN)
            .allow("POST", "/v1/agents/runs/{id}/resume", APP, DEVELOPER, ADMIN)
            .allow("GET", "/v1/models", APP, DEVELOPER, VIEWER, ADMIN)
            .allow("POST", "/v1/documents", APP, ADMIN)
            .allow("DELETE", "/v1/documents/{+id}", APP, ADMIN)
            .allow("GET", "/v1/ingestion/status", APP, DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/ingestion/jobs/{id}", APP, ADMIN)
            .allow("GET", "/v1/quarantine", ADMIN)
            .allow("POST", "/v1/quarantine/{id}/release", ADMIN)
            .allow("POST", "/v1/quarantine/{id}/recheck", ADMIN)
            .allow("GET", "/v1/requests", DEVELOPER, ADMIN)
            .allow("GET", "/v1/requests/{id}", DEVELOPER, ADMIN)
            .allow("GET", "/v1/usage", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/experiments", DEVELOPER, VIEWER, ADMIN)
            .allow("POST", "/v1/experiments", ADMIN)
            .allow("POST", "/v1/experiments/{name}/start", ADMIN)
            .allow("POST", "/v1/experiments/{name}/stop", ADMIN)
            .allow("POST", "/v1/experiments/{name}/promote", ADMIN)
            .allow("GET", "/v1/experiments/{name}/report", ADMIN)
            .allow("POST", "/v1/feedback", APP, DEVELOPER, ADMIN)
            .allow("GET", "/v1/registry/models", DEVELOPER, VIEWER, ADMIN)
            .allow("POST", "/v1/registry/models", DEVELOPER, ADMIN)
            .allow("GET", "/v1/registry/models/{name}", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/registry/models/{name}/versions/{n}", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/registry/models/{name}/audit", DEVELOPER, VIEWER, ADMIN)
            .allow("POST", "/v1/registry/models/{name}/promote", ADMIN)
            .allow("POST", "/v1/registry/models/{name}/rollback", ADMIN)
            .allow("GET", "/v1/audit", ADMIN)
            .allow("GET", "/v1/audit/verify", ADMIN)
            .allow("GET", "/v1/evaluations", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/evaluations/{id}", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/keys", ADMIN)
            .allow("POST", "/v1/keys", ADMIN)
            .allow("POST", "/v1/keys/{id}/revoke", ADMIN)
            .allow("POST", "/v1/keys/{id}/rotate", ADMIN)
            .allow("GET", "/v1/console/latency", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/guards", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/budgets", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/collections", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/prompts", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/prompts/{id}", DEVELOPER, VIEWER, ADMIN)
            .allow("GET", "/v1/console/prompts/{id}/diff", DEVELOPER, VIEWER, ADMIN)
            .build();

    private AccessRoutes() {
    }
}
