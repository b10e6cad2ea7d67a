package io.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates objects against the Kubernetes API model of Fabric8 (the API's OpenAPI schema generated into Java types,
 * Kubernetes 1.33 for kubernetes-model 8.0; Prometheus Operator's {@code monitoring.coreos.com/v1} from
 * openshift-model-monitoring).
 *
 * <p>Strict: an object whose {@code apiVersion} and {@code kind} name no known type is an error (it would deserialise to
 * a generic resource), so is a value of the wrong type, and so is any field the schema does not have. Fabric8's types
 * keep unknown fields in {@code additionalProperties} instead of failing, so after deserialising, every object of the
 * tree is walked and any additional property is reported with its path ({@code spec.template.spec.containers[0].probe}).
 * A quantity ({@code 2Gi}, {@code 500m}) must also parse.
 */
public final class ApiSchema {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ApiSchema() {
    }

    /** The problems of {@code object}; empty when it is valid. */
    public static List<String> problems(JsonNode object) {
        String id = Kustomize.id(object);
        KubernetesResource typed;
        try {
            // as JSON text: Fabric8 8 reads with Jackson 3, the manifests were read with Jackson 2
            typed = SERIALIZATION.unmarshal(object.toString(), KubernetesResource.class);
        } catch (RuntimeException e) {
            return List.of(id + ": does not match the API schema: " + rootMessage(e));
        }
        if (typed instanceof GenericKubernetesResource || !(typed instanceof HasMetadata)) {
            return List.of(id + ": " + object.path("apiVersion").asText() + " " + object.path("kind").asText() + " is not a known API type");
        }
        List<String> problems = new ArrayList<>();
        walk(typed, "", problems, id);
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems, String id) {
        if (value == null) return;
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) walk(list.get(i), path + "[" + i + "]", problems, id);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) walk(e.getValue(), path + "[" + e.getKey() + "]", problems, id);
            return;
        }
        if (value instanceof Quantity q) {
            try {
                q.getNumericalAmount();
            } catch (RuntimeException e) {
                problems.add(id + ": " + path + ": '" + q + "' is not a quantity");
            }
            return;
        }
        if (value instanceof IntOrString) return;
        if (!value.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) continue;
            String name = m.getName();
            if (!name.startsWith("get") || name.equals("getClass")) continue;
            Object child;
            try {
                child = m.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    for (Object key : extra.keySet()) {
                        problems.add(id + ": " + (path.isEmpty() ? "" : path.substring(1) + ".") + key + ": no such field in the API schema");
                    }
                }
                continue;
            }
            walk(child, path + "." + field(name), problems, id);
        }
    }

    private static String field(String getter) {
        String f = getter.substring(3);
        return f.isEmpty() ? f : Character.toLowerCase(f.charAt(0)) + f.substring(1);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : String.valueOf(m);
    }
}
