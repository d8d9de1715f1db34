package dev.imageservice.ops.metrics;

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
    void everyGaugeOfTheServiceHasAPrometheusFamily() {
        List<PrometheusFamily> families = MetricNames.prometheusFamilies();
        List<String> names = List.of(MetricNames.ADMISSION_IN_FLIGHT, MetricNames.ADMISSION_QUEUED,
                MetricNames.MEMORY_BUDGET, MetricNames.MEMORY_IN_USE, MetricNames.MEMORY_WAITING,
                MetricNames.ADMISSION_MAX_IN_FLIGHT, MetricNames.ADMISSION_MAX_QUEUED);

        for (String name : names) {
            assertThat(families.stream().filter(f -> f.labelValues(name) != null)).as(name).hasSize(1);
        }
    }

    @Test
    void otherGaugesGetLintCleanNames() {
        assertThat(PrometheusSampleBuilder.lintedName("jvm_memory_pools_CodeHeap__non_nmethods__used"))
                .isEqualTo("jvm_memory_pools_codeheap__non_nmethods__used");
        assertThat(PrometheusSampleBuilder.lintedName("jvm_threads_count")).isEqualTo("jvm_threads");
        assertThat(PrometheusSampleBuilder.lintedName("jvm_gc_G1_Young_Generation_count"))
                .isEqualTo("jvm_gc_g1_young_generation_collections");
    }
}
