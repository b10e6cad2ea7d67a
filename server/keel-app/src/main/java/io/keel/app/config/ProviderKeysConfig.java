package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.model.EndpointConfig;
import io.keel.model.ModelConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server-held provider keys a model registered over the API may name ({@code providers.keys.<VAR>.allowed_hosts}).
 * A registration whose {@code api_key_env} names a variable not declared here is refused, so no other environment
 * variable ({@code HOME}, a database password) can be sent to an endpoint; and every endpoint host must be on the
 * variable's allow-list, so a key only ever goes where it was meant to. Models written in keel.yaml are the
 * operator's own and are not checked.
 *
 * @param allowedHosts per variable, the hosts its key may be sent to (lower case; {@code *.example.com} matches
 *                     sub-domains)
 */
public record ProviderKeysConfig(Map<String, List<String>> allowedHosts) {
    public static final ProviderKeysConfig NONE = new ProviderKeysConfig(Map.of());

    public ProviderKeysConfig {
        allowedHosts = Map.copyOf(allowedHosts);
    }

    static ProviderKeysConfig from(ConfigNode providers) {
        ConfigNode keys = providers.child("keys");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String var : keys.keys()) {
            List<String> hosts = keys.child(var).strings("allowed_hosts").stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            if (hosts.isEmpty()) throw keys.child(var).error("allowed_hosts", "must list at least one host, e.g. [api.openai.com]");
            out.put(var, hosts);
        }
        return new ProviderKeysConfig(out);
    }

    /**
     * Checks a model entry registered over the API.
     *
     * @param admin whether the caller is an admin (or the server runs in open mode on loopback)
     */
    public void check(ModelConfig model, boolean admin) {
        String var = model.apiKeyEnv();
        if (var == null) return;
        if (!admin) {
            throw new KeelException(ErrorCode.FORBIDDEN, "registering a model that uses the server-held key " + var
                    + " (api_key_env) needs an admin key");
        }
        List<String> hosts = allowedHosts.get(var);
        if (hosts == null) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "api_key_env names '" + var + "', which is not a declared provider "
                    + "key; only variables under providers.keys in keel.yaml may be named" + (allowedHosts.isEmpty() ? ""
                    : " (declared: " + allowedHosts.keySet().stream().sorted().toList() + ")"));
        }
        for (EndpointConfig e : model.endpoints()) {
            String host = e.url().getHost() == null ? "" : e.url().getHost().toLowerCase(Locale.ROOT);
            if (hosts.stream().noneMatch(h -> h.equals(host) || h.startsWith("*.") && host.endsWith(h.substring(1)))) {
                throw new KeelException(ErrorCode.UNPROCESSABLE, "endpoint host '" + host + "' is not allowed for the key " + var
                        + "; providers.keys." + var + ".allowed_hosts lists " + hosts);
            }
        }
    }
}
