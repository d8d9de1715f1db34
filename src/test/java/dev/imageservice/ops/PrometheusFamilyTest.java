package dev.imageservice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusFamilyTest {

    @Test
    void methodNamesWithDotsStayWholeAndTheCodeIsTheLastSegment() {
        PrometheusFamily handled = PrometheusFamily.labelled(MetricNames.GRPC_HANDLED_PREFIX, "x", "method", "code");

        assertThat(handled.labelValues(MetricNames.grpcHandled("image.ImageService/ProcessImage", "INVALID_ARGUMENT")))
                .containsExactly("image.ImageService/ProcessImage", "INVALID_ARGUMENT");
        assertThat(handled.labelValues(MetricNames.httpResponses("POST /api/v1/process", "2xx"))).isNull();
        assertThat(handled.labelValues(MetricNames.GRPC_HANDLED_PREFIX + "no-code")).isNull();
    }

    @Test
    void anHttpEndpointWithDotsKeepsThemAndTheStatusClassIsSplitOff() {
        PrometheusFamily responses = PrometheusFamily.labelled(MetricNames.HTTP_RESPONSES_PREFIX, "x", "endpoint", "status_class");

        assertThat(responses.labelValues(MetricNames.httpResponses("GET /files/{name}.png", "4xx")))
                .containsExactly("GET /files/{name}.png", "4xx");
    }

    @Test
    void anExactNameMatchesOnlyItself() {
        PrometheusFamily process = PrometheusFamily.exact(MetricNames.PROCESS, "image_processing_seconds");

        assertThat(process.labelValues(MetricNames.PROCESS)).isEqualTo(List.of());
        assertThat(process.labelValues(MetricNames.PROCESS + "-other")).isNull();
    }

    @Test
    void everyMetricNameOfTheServiceHasAPrometheusFamily() {
        List<PrometheusFamily> families = MetricNames.prometheusFamilies();
        List<String> names = List.of(MetricNames.PROCESS, MetricNames.STAGE_DECODE, MetricNames.STAGE_TRANSFORM,
                MetricNames.STAGE_ENCODE, MetricNames.failed(dev.imageservice.processing.ImageProcessingException.Kind.INTERNAL),
                MetricNames.INPUT_BYTES, MetricNames.OUTPUT_BYTES, MetricNames.DECODED_PIXELS,
                MetricNames.grpcCalls("a.B/C"), MetricNames.grpcHandled("a.B/C", "OK"),
                MetricNames.httpRequests("GET /x"), MetricNames.httpResponses("GET /x", "2xx"));

        for (String name : names) {
            assertThat(families.stream().filter(f -> f.labelValues(name) != null)).as(name).hasSize(1);
        }
    }
}
