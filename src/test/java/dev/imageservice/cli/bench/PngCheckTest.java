package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngCheckTest {

    @Test
    void pngOfTheSentSizePasses() throws IOException {
        byte[] png = encode(7, 5, "png");

        assertThat(PngCheck.problem(head(png), png.length, BenchImage.of("in.jpg", encode(7, 5, "jpg")))).isNull();
    }

    @Test
    void pngOfAnotherSizeIsReported() throws IOException {
        byte[] png = encode(5, 7, "png");

        assertThat(PngCheck.problem(head(png), png.length, BenchImage.of("in.jpg", encode(7, 5, "jpg"))))
                .isEqualTo("PNG is 5x7, expected 7x5 for in.jpg");
    }

    @Test
    void anySizeIsAcceptedWhenTheInputSizeIsUnknown() throws IOException {
        byte[] png = encode(5, 7, "png");
        BenchImage unknown = new BenchImage("in.webp", new byte[] {1}, "image/webp", -1, -1);

        assertThat(PngCheck.problem(head(png), png.length, unknown)).isNull();
    }

    @Test
    void jpegIsNotAPng() throws IOException {
        byte[] jpeg = encode(7, 5, "jpg");

        assertThat(PngCheck.problem(head(jpeg), jpeg.length, BenchImage.of("in.jpg", jpeg)))
                .startsWith("response is not a PNG");
    }

    @Test
    void truncatedBodyIsReported() throws IOException {
        byte[] png = Arrays.copyOf(encode(7, 5, "png"), 10);

        assertThat(PngCheck.problem(png, png.length, BenchImage.of("in.png", encode(7, 5, "png"))))
                .contains("too short");
    }

    @Test
    void jsonErrorBodyIsNotAPng() {
        byte[] json = "{\"code\":400,\"message\":\"could not decode the image\"}".getBytes();

        assertThat(PngCheck.problem(json, json.length, new BenchImage("x", new byte[] {1}, "image/jpeg", 1, 1)))
                .startsWith("response is not a PNG (starts with \"{\"code\":400");
    }

    static byte[] encode(int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(1, 1, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] head(byte[] body) {
        return Arrays.copyOf(body, Math.min(body.length, Outcome.HEAD_BYTES));
    }
}
