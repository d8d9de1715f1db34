package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/** PNG's IHDR: size, bit depth, colour type, interlacing; lies and damage. */
class PngReaderTest {

    private static PngTraits traits(byte[] png) {
        return (PngTraits) FormatProbe.probe(png).traits();
    }

    @Test
    void readsSizeDepthAndColourType() {
        byte[] rgb = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 1), ".png");
        byte[] rgba16 = TestImages.encode(TestImages.photoLike(41, 31, 4, 16, 2), ".png");
        byte[] gray = TestImages.encode(TestImages.photoLike(42, 32, 1, 8, 3), ".png");

        ImageHeader header = FormatProbe.probe(rgb);
        assertThat(header.format()).isEqualTo(ImageFormat.PNG);
        assertThat(header.width()).isEqualTo(40);
        assertThat(header.height()).isEqualTo(30);
        assertThat(header.complete()).isTrue();
        assertThat(traits(rgb)).isEqualTo(new PngTraits(8, 2, false));
        assertThat(traits(rgba16)).isEqualTo(new PngTraits(16, 6, false));
        assertThat(traits(rgba16).alpha()).isTrue();
        assertThat(traits(gray)).isEqualTo(new PngTraits(8, 0, false));
        assertThat(traits(EdgeCases.palettePng()).colourType()).isEqualTo(3);
    }

    @Test
    void readsInterlacing() throws Exception {
        BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }

        assertThat(traits(out.toByteArray()).interlaced()).isTrue();
    }

    @Test
    void anIhdrThatLiesIsReadAsItLies() {
        ImageHeader header = FormatProbe.probe(LyingHeaders.png());

        assertThat(header.width()).isEqualTo(60_000);
        assertThat(header.height()).isEqualTo(60_000);
        assertThat(FormatProbe.probe(EdgeCases.bombPng()).pixels()).isEqualTo(900_000_000L);
    }

    @Test
    void impossibleSizesAreCorrupt() {
        byte[] png = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 4), ".png");
        byte[] zeroWide = png.clone();
        ByteBuffer.wrap(zeroWide).putInt(16, 0);
        byte[] negative = png.clone();
        ByteBuffer.wrap(negative).putInt(20, 0x80000000); // 2^31 rows: beyond PNG's limit

        refused(zeroWide, FormatException.Reason.CORRUPT, "the PNG header says 0x16");
        refused(negative, FormatException.Reason.CORRUPT, "the PNG header says 16x-2147483648");
    }

    @Test
    void aPngWithoutIhdrIsCorrupt() {
        byte[] png = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 5), ".png");
        byte[] renamed = png.clone();
        renamed[12] = 'X';

        refused(Arrays.copyOf(png, 20), FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt PNG data (no valid image header)");
        refused(renamed, FormatException.Reason.CORRUPT, "no valid image header");
    }
}
