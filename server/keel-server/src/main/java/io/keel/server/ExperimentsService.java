package io.keel.server;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Keel;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.RequestStore;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentFiles;
import io.keel.experiments.report.ExperimentReport;
import io.keel.experiments.report.ExperimentReports;
import io.keel.experiments.report.ReportJson;
import io.keel.http.HttpJson;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code GET /v1/experiments/{name}/report?alpha=0.05&min_per_arm=100}: the statistics of one experiment of
 * {@code experiments.dir}, over every request of it in the request log (all tenants: an experiment is configured for
 * the whole instance) and the feedback on them. The definitions are read at each call, so an edited weight is what
 * the sample-ratio check compares with.
 */
final class ExperimentsService implements HttpService {
    private static final Set<String> PARAMS = Set.of("alpha", "min_per_arm");

    private final Keel keel;

    ExperimentsService(Keel keel) {
        this.keel = keel;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/experiments/{name}/report", this::report);
    }

    private void report(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        for (String p : req.query().names()) {
            if (!PARAMS.contains(p)) throw KeelException.invalid("unknown query parameter '" + p + "'; known: alpha, min_per_arm");
        }
        double alpha = number(req, "alpha", 0.05);
        if (!(alpha > 0 && alpha < 0.5)) throw KeelException.invalid("'alpha' must be between 0 and 0.5; got " + alpha);
        double min = number(req, "min_per_arm", ExperimentReports.DEFAULT_MIN_PER_ARM);
        if (min != Math.rint(min) || min < 2) throw KeelException.invalid("'min_per_arm' must be a whole number >= 2; got " + min);
        Path dir = keel.config().experiments().dir();
        if (dir == null) {
            throw new KeelException(ErrorCode.NOT_FOUND, "no experiments are configured; set experiments.dir in keel.yaml");
        }
        Experiment e = ExperimentFiles.loadDirectory(dir).experiments().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> KeelException.notFound("no experiment named '" + name + "' in " + dir));
        RequestStore store = keel.requests().orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "the request log is disabled (request_log.enabled: false); experiment reports are computed from it"));
        ExperimentReport report = ExperimentReports.compute(e, store.forExperiment(name), keel.feedback().forExperiment(name),
                alpha, (long) min);
        HttpJson.send(res, 200, ReportJson.of(report));
    }

    private static double number(ServerRequest req, String name, double dflt) {
        var v = req.query().first(name);
        if (v.isEmpty()) return dflt;
        try {
            return Double.parseDouble(v.get());
        } catch (NumberFormatException ex) {
            throw KeelException.invalid("'" + name + "' must be a number; got '" + v.get() + "'");
        }
    }
}
