package dev.imageservice.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Seeded mutations of valid image files (bytes flipped, files cut short, two files spliced), the
 * kind of input a fuzzer would send. The same seed gives the same cases on every machine.
 */
public final class Mutations {

    /** One mutated input and how it was made, for the failure message. */
    public record Mutant(String description, byte[] data) {
    }

    private Mutations() {
    }

    /** Small valid files of each format the service reads. */
    public static List<byte[]> seeds() {
        TestImages.Pixels color = TestImages.photoLike(48, 40, 3, 8, 31);
        TestImages.Pixels alpha = TestImages.photoLike(40, 32, 4, 8, 32);
        TestImages.Pixels deep = TestImages.photoLike(24, 20, 3, 16, 33);
        return List.of(
                TestImages.encode(color, ".jpg"),
                TestImages.encode(color, ".png"),
                TestImages.encode(alpha, ".png"),
                TestImages.encode(deep, ".png"),
                TestImages.encode(color, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80),
                TestImages.encode(alpha, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101),
                TestImages.encode(color, ".tiff"),
                TestImages.encode(deep, ".tiff"),
                TestImages.encode(color, ".bmp"));
    }

    public static List<Mutant> generate(long seed, int count) {
        Random random = new Random(seed);
        List<byte[]> seeds = seeds();
        List<Mutant> mutants = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int which = random.nextInt(seeds.size());
            byte[] original = seeds.get(which);
            String name = "seed " + which + " (" + original.length + " bytes)";
            switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] data = original.clone();
                    int flips = 1 + random.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    mutants.add(new Mutant(name + ": " + flips + " bits flipped", data));
                }
                case 1 -> {
                    byte[] data = original.clone();
                    int at = random.nextInt(Math.min(64, data.length));
                    data[at] = (byte) random.nextInt(256); // header bytes: sizes, types, lengths
                    mutants.add(new Mutant(name + ": header byte " + at + " set", data));
                }
                case 2 -> {
                    int length = random.nextInt(original.length);
                    mutants.add(new Mutant(name + ": cut to " + length + " bytes", Arrays.copyOf(original, length)));
                }
                default -> {
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    int cut = random.nextInt(original.length);
                    int from = random.nextInt(other.length);
                    byte[] data = Arrays.copyOf(original, cut + other.length - from);
                    System.arraycopy(other, from, data, cut, other.length - from);
                    mutants.add(new Mutant(name + ": spliced at " + cut + " with another file from " + from, data));
                }
            }
        }
        return mutants;
    }
}
