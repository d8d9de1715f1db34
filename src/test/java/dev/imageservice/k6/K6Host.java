package dev.imageservice.k6;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.imageservice.grpc.proto.ImageProto;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What k6 does for the scripts, done for real: files read relative to the script, gRPC calls on a
 * channel to the target through the loaded proto's method, multipart HTTP posts. Everything the
 * scripts ask for is recorded, so that tests can check it.
 */
public final class K6Host {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Path scriptDir;
    private final Map<String, String> env;
    private final boolean missingFilesAreEmpty;

    final List<Path> opened = new ArrayList<>();
    final List<Path> loadedProtos = new ArrayList<>();
    final List<JsonNode> connects = new ArrayList<>();
    final List<String> invokedMethods = new ArrayList<>();
    final Map<String, List<Boolean>> checks = new LinkedHashMap<>();
    final List<String> postedUrls = new ArrayList<>();
    final List<String> postedParts = new ArrayList<>();

    private ManagedChannel channel;
    private final Map<String, byte[]> parts = new LinkedHashMap<>();
    private byte[] lastBody = new byte[0];

    K6Host(Path scriptDir, Map<String, String> env, boolean missingFilesAreEmpty) {
        this.scriptDir = scriptDir;
        this.env = Map.copyOf(env);
        this.missingFilesAreEmpty = missingFilesAreEmpty;
    }

    public String envJson() throws IOException {
        return JSON.writeValueAsString(env);
    }

    /** k6's open(): paths are relative to the script. */
    public byte[] open(String path) throws IOException {
        Path file = scriptDir.resolve(path).normalize();
        opened.add(file);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (missingFilesAreEmpty) {
                return new byte[0];
            }
            throw e;
        }
    }

    public String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    public void check(String name, boolean passed) {
        checks.computeIfAbsent(name, n -> new ArrayList<>()).add(passed);
    }

    /** Client.load(importPaths, file): the file is looked up in the import paths, relative to the script. */
    public void grpcLoad(String importPathsJson, String file) throws IOException {
        for (JsonNode dir : JSON.readTree(importPathsJson)) {
            Path candidate = scriptDir.resolve(dir.asText()).resolve(file).normalize();
            if (Files.isRegularFile(candidate)) {
                loadedProtos.add(candidate);
                return;
            }
        }
        throw new IllegalArgumentException("k6 would not find " + file + " in " + importPathsJson);
    }

    public void grpcConnect(String target, String paramsJson) throws IOException, InterruptedException {
        JsonNode params = JSON.readTree(paramsJson);
        connects.add(params);
        if (!params.path("plaintext").asBoolean(false)) {
            throw new IllegalStateException("the script asks for TLS; the service listens in plaintext");
        }
        if (params.path("reflect").asBoolean(false)) {
            throw new IllegalStateException("reflection is not played by this test");
        }
        grpcClose();
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target).usePlaintext();
        if (params.has("maxReceiveSize")) {
            builder.maxInboundMessageSize(params.get("maxReceiveSize").asInt());
        }
        channel = builder.build();
    }

    /** Client.invoke(): the method must be one of the loaded proto; k6 marshals with protobuf's JSON mapping. */
    @SuppressWarnings("unchecked")
    public String grpcInvoke(String method, String requestJson, String paramsJson) throws Exception {
        invokedMethods.add(method);
        if (loadedProtos.isEmpty()) {
            throw new IllegalStateException("invoke before load: k6 knows no method " + method);
        }
        if (channel == null) {
            throw new IllegalStateException("invoke before connect");
        }
        MethodDescriptor<Message, Message> descriptor = ImageServiceGrpc.getServiceDescriptor().getMethods().stream()
                .filter(m -> m.getFullMethodName().equals(method.replaceFirst("^/", "")))
                .filter(m -> m.getType() == MethodDescriptor.MethodType.UNARY)
                .map(m -> (MethodDescriptor<Message, Message>) m)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no unary method " + method + " in "
                        + ImageProto.getDescriptor().getName()));
        Message.Builder request = ((MethodDescriptor.PrototypeMarshaller<Message>) descriptor.getRequestMarshaller())
                .getMessagePrototype().newBuilderForType();
        JsonFormat.parser().merge(requestJson, request);
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(
                seconds(JSON.readTree(paramsJson).path("timeout").asText("60s")), TimeUnit.SECONDS);
        ObjectNode result = JSON.createObjectNode();
        try {
            Message response = ClientCalls.blockingUnaryCall(channel, descriptor, options, request.build());
            result.put("status", 0);
            result.set("message", JSON.readTree(JsonFormat.printer().print(response)));
        } catch (StatusRuntimeException e) {
            result.put("status", e.getStatus().getCode().value());
            result.putNull("message");
            result.putObject("error").put("message", String.valueOf(e.getStatus().getDescription()));
        }
        return JSON.writeValueAsString(result);
    }

    public void grpcClose() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            channel = null;
        }
    }

    public void httpFilePart(String name, String filename, String contentType, byte[] data) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        part.writeBytes(data);
        parts.put(name, part.toByteArray());
    }

    public void httpFieldPart(String name, String value) {
        parts.put(name, ("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** http.post() of the parts given since the last post, as multipart/form-data, as k6 sends an object holding a file. */
    public String httpPost(String url, String paramsJson) throws Exception {
        postedUrls.add(url);
        postedParts.addAll(parts.keySet());
        String boundary = "k6host" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts.values()) {
            body.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        parts.clear();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(seconds(JSON.readTree(paramsJson).path("timeout").asText("60s"))))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        lastBody = response.body();
        ObjectNode result = JSON.createObjectNode();
        result.put("status", response.statusCode());
        ObjectNode headers = result.putObject("headers");
        response.headers().map().forEach((name, values) -> headers.put(canonical(name), String.join(", ", values)));
        return JSON.writeValueAsString(result);
    }

    public byte[] lastBody() {
        return lastBody;
    }

    /** k6 hands response headers over with Go's canonical names: "content-type" is "Content-Type". */
    private static String canonical(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("-", -1)) {
            if (!out.isEmpty()) {
                out.append('-');
            }
            out.append(word.isEmpty() ? "" : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** k6 durations as the scripts use them: "60s", "2m", "500ms". */
    static long seconds(String duration) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a k6 duration: " + duration);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Math.max(1, n / 1000);
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }
}
