package dev.imageservice.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** deploy/Dockerfile read as its instructions (it cannot be built on these machines). */
record Dockerfile(String from, List<String> runs, List<Integer> exposed, String user, List<String[]> copies,
                  String entrypoint) {
    static final Path PATH = Path.of("deploy", "Dockerfile");

    /** The numeric uid of USER uid[:gid]. */
    int uid() {
        return Integer.parseInt(user.split(":")[0]);
    }

    static Dockerfile read() throws IOException {
        // Continuation lines joined, comments dropped.
        String text = String.join("\n", Files.readAllLines(PATH).stream().filter(l -> !l.trim().startsWith("#")).toList())
                .replace("\\\n", " ");
        String from = null;
        String user = null;
        String entrypoint = null;
        List<String> runs = new ArrayList<>();
        List<Integer> exposed = new ArrayList<>();
        List<String[]> copies = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] words = line.trim().split("\\s+", 2);
            if (words.length < 2) {
                continue;
            }
            switch (words[0].toUpperCase()) {
                case "FROM" -> from = words[1].trim();
                case "RUN" -> runs.add(words[1]);
                case "EXPOSE" -> Arrays.stream(words[1].trim().split("\\s+")).map(Integer::valueOf).forEach(exposed::add);
                case "USER" -> user = words[1].trim();
                case "COPY" -> copies.add(words[1].trim().split("\\s+"));
                case "ENTRYPOINT" -> entrypoint = words[1].trim();
                default -> { }
            }
        }
        return new Dockerfile(from, runs, exposed, user, copies, entrypoint);
    }
}
