package dev.imageservice.k6;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import dev.imageservice.cli.bench.BenchTarget;
import dev.imageservice.cli.bench.HttpRequestSender;
import dev.imageservice.cli.bench.PhotoLikeImage;
import dev.imageservice.grpc.proto.ImageProto;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k6 cannot run where the tests run, so this reads the k6 scripts as text and checks that what
 * they name (proto path, service, method, message fields, HTTP path and form field) is what the
 * service actually has.
 */
class K6ScriptsTest {
    private static final Path K6 = Path.of("k6");

    private static String script(String name) throws IOException {
        return Files.readString(K6.resolve(name));
    }

    /** The value of {@code const NAME = '...';} in a script. */
    private static String constant(String script, String name) {
        Matcher m = Pattern.compile("const " + name + " = '([^']*)';").matcher(script);
        assertThat(m.find()).as("const %s in the script", name).isTrue();
        return m.group(1);
    }

    private static List<String> quotedStrings(String arrayLiteral) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'").matcher(arrayLiteral);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    @Test
    void grpcScriptLoadsTheServicesProtoFile() throws IOException {
        String grpc = script("grpc.js");
        Matcher dirs = Pattern.compile("const PROTO_DIRS = \\[([^\\]]*)\\];").matcher(grpc);
        assertThat(dirs.find()).isTrue();
        String protoFile = constant(grpc, "PROTO_FILE");

        assertThat(grpc).contains("client.load(PROTO_DIRS, PROTO_FILE)");
        // k6 resolves import paths against the script's directory.
        assertThat(quotedStrings(dirs.group(1))).singleElement()
                .satisfies(dir -> assertThat(K6.resolve(dir).resolve(protoFile)).isRegularFile()
                        .hasSameTextualContentAs(Path.of("proto", "image.proto")));
        assertThat(protoFile).isEqualTo(ImageProto.getDescriptor().getName());
    }

    @Test
    void grpcScriptInvokesTheServicesMethod() throws IOException {
        String method = constant(script("grpc.js"), "METHOD");
        ServiceDescriptor service = ImageServiceGrpc.getServiceDescriptor();

        assertThat(service.getMethods()).extracting(MethodDescriptor::getFullMethodName).contains(method);
        assertThat(method).isEqualTo(ImageServiceGrpc.getProcessImageMethod().getFullMethodName());
        assertThat(script("grpc.js")).contains("client.invoke(METHOD, ");
    }

    @Test
    void grpcScriptUsesTheMessagesFieldNames() throws IOException {
        String grpc = script("grpc.js");
        Matcher request = Pattern.compile("client\\.invoke\\(METHOD, \\{ (\\w+): ").matcher(grpc);
        Matcher response = Pattern.compile("r\\.message\\.(\\w+)").matcher(grpc);
        Matcher everyResponseField = Pattern.compile("r\\.message\\.(\\w+)").matcher(grpc);
        assertThat(request.find()).isTrue();
        assertThat(response.find()).isTrue();

        // The tutorial's field 1 (the options, fields 2-4, are left at their defaults: the channel swap).
        assertThat(ImageRequest.getDescriptor().findFieldByNumber(1).getName()).isEqualTo(request.group(1));
        assertThat(fieldNames(ImageRequest.getDescriptor())).contains(request.group(1));
        // Requests accept either name, but k6 marshals answers with protojson's defaults: the JSON
        // (lowerCamelCase) name, so r.message.image_data would be undefined.
        List<String> responseJsonNames = ImageResponse.getDescriptor().getFields().stream()
                .map(Descriptors.FieldDescriptor::getJsonName).toList();
        while (everyResponseField.find()) {
            assertThat(responseJsonNames).contains(everyResponseField.group(1));
        }
        // The proto text itself, in case the generated classes were stale.
        assertThat(Files.readString(Path.of("proto", "image.proto")))
                .contains("bytes " + request.group(1) + " = 1;")
                .contains("rpc ProcessImage (ImageRequest) returns (ImageResponse);");
    }

    @Test
    void grpcScriptRaisesTheReceiveLimitAndFailsOnChecksAndLatency() throws IOException {
        String grpc = script("grpc.js");

        assertThat(grpc).contains("maxReceiveSize: MAX_RECEIVE_BYTES")
                .contains("const MAX_RECEIVE_BYTES = 512 * 1024 * 1024;")
                .contains("checks: ['rate==1.0']")
                .contains("grpc_req_duration: [`p(95)<")
                .contains("plaintext: true");
    }

    @Test
    void httpScriptPostsTheImageAsMultipartToTheProcessEndpoint() throws IOException {
        String httpScript = script("http.js");

        assertThat(constant(httpScript, "PROCESS_PATH")).isEqualTo("/api/v1/process").isEqualTo(BenchTarget.DEFAULT_HTTP_PATH);
        assertThat(constant(httpScript, "PART_NAME")).isEqualTo("image").isEqualTo(HttpRequestSender.PART_NAME);
        assertThat(httpScript).contains("body[PART_NAME] = http.file(")
                .contains("http.post(`${TARGET}${PROCESS_PATH}`, body")
                .contains("checks: ['rate==1.0']")
                .contains("http_req_duration: [`p(95)<");
    }

    @Test
    void defaultImageIsTheOneSampleImagesWrites() throws IOException {
        String expected = "../target/samples/" + PhotoLikeImage.Size.MP_0_3.fileName();

        assertThat(script("grpc.js")).contains("__ENV.IMAGE || '" + expected + "'");
        assertThat(script("http.js")).contains("__ENV.IMAGE || '" + expected + "'");
    }

    private static List<String> fieldNames(Descriptors.Descriptor message) {
        return message.getFields().stream().map(Descriptors.FieldDescriptor::getName).toList();
    }
}
