package dev.imageservice.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.processing.Limits;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code limits:} section of config.yml: what every transport accepts (gRPC, HTTP and the
 * page alike) and how much work runs at once.
 */
public class LimitsFactory {

    /** Largest encoded image accepted. */
    @NotNull
    @MinDataSize(value = 1, unit = DataSizeUnit.KIBIBYTES)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxInputSize = DataSize.mebibytes(64);

    /**
     * Largest decoded image accepted, in megapixels (width x height / 1,000,000). At most 500: about
     * where the PNG of an 8-bit 4-channel image (4 bytes a pixel) outgrows one Java array (2 GiB).
     * A 16-bit RGBA image (8 bytes a pixel) outgrows it at about 268 MP: with a limit above that, such
     * an image can pass the header check and then fail when its PNG is written ("larger than 2 GiB").
     */
    @Min(1)
    @Max(500)
    private int maxMegapixels = 50;

    /** Images decoded/encoded at the same time; 0 means the number of cores. */
    @Min(0)
    @Max(256)
    private int maxConcurrent = 0;

    /**
     * Memory all requests may hold at once: inputs (waiting ones included, at most 65% of it),
     * the work of the images in work (what each adds beyond the buffers its worker keeps, see
     * {@code Limits.ownWorkBytes}) and encoded outputs until written (the other 35%). 0B (the
     * default) derives it from the heap: {@link #budgetForHeap} (360 MiB with
     * the README's {@code java -Xmx576m}, 640 MiB with {@code -Xmx1g}). Otherwise at least 16 MiB; the heap needs
     * about this plus 60% (see the README, "How much memory the process needs").
     */
    @NotNull
    private DataSize memoryBudget = DataSize.bytes(0);

    /** Requests that may wait for admission; beyond that they are refused as overloaded. */
    @Min(0)
    @Max(100_000)
    private int maxQueued = 1000;

    /**
     * Requests one client (API key name, else address) may have waiting; the queue is served in
     * turns among clients. Beyond it that client is refused as overloaded. Capped by maxQueued.
     */
    @Min(0)
    @Max(100_000)
    private int maxQueuedPerClient = 500;

    /** Longest wait for admission before a request is refused as overloaded. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration maxQueueWait = Duration.seconds(180);

    @JsonProperty
    public DataSize getMaxInputSize() {
        return maxInputSize;
    }

    @JsonProperty
    public void setMaxInputSize(DataSize maxInputSize) {
        this.maxInputSize = maxInputSize;
    }

    @JsonProperty
    public int getMaxMegapixels() {
        return maxMegapixels;
    }

    @JsonProperty
    public void setMaxMegapixels(int maxMegapixels) {
        this.maxMegapixels = maxMegapixels;
    }

    @JsonProperty
    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    @JsonProperty
    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    @JsonProperty
    public DataSize getMemoryBudget() {
        return memoryBudget;
    }

    @JsonProperty
    public void setMemoryBudget(DataSize memoryBudget) {
        this.memoryBudget = memoryBudget;
    }

    @JsonProperty
    public int getMaxQueued() {
        return maxQueued;
    }

    @JsonProperty
    public void setMaxQueued(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    @JsonProperty
    public int getMaxQueuedPerClient() {
        return maxQueuedPerClient;
    }

    @JsonProperty
    public void setMaxQueuedPerClient(int maxQueuedPerClient) {
        this.maxQueuedPerClient = maxQueuedPerClient;
    }

    @JsonProperty
    public Duration getMaxQueueWait() {
        return maxQueueWait;
    }

    @JsonProperty
    public void setMaxQueueWait(Duration maxQueueWait) {
        this.maxQueueWait = maxQueueWait;
    }

    @JsonIgnore
    @ValidationMethod(message = "limits.memoryBudget (MEMORY_BUDGET) must be 0B (derived from the heap) or at least 16MiB")
    public boolean isMemoryBudgetValid() {
        return memoryBudget.toBytes() == 0 || memoryBudget.toBytes() >= MIN_BUDGET_BYTES;
    }

    /**
     * The budget {@code memoryBudget: 0B} means: 5/8 of the largest heap (640 MiB for 1 GiB), at least
     * 16 MiB. The rest of the heap is G1's room for garbage (answers are written from pieces of the
     * heap, inputs are parsed into it); with more of it given to requests, G1 collected so often under
     * 200 concurrent 12 MP calls that it committed the whole heap. Without a heap limit, 640 MiB.
     */
    static long budgetForHeap(long maxHeapBytes) {
        if (maxHeapBytes <= 0 || maxHeapBytes == Long.MAX_VALUE) {
            return DEFAULT_BUDGET_BYTES;
        }
        return Math.max(MIN_BUDGET_BYTES, maxHeapBytes / 8 * 5);
    }

    private static final long MIN_BUDGET_BYTES = 16L << 20;
    private static final long DEFAULT_BUDGET_BYTES = 640L << 20;

    /**
     * The runtime limits; {@code maxConcurrent: 0} becomes the number of cores, {@code memoryBudget: 0B}
     * the budget for this JVM's heap ({@link #budgetForHeap}).
     */
    public Limits build() {
        int concurrent = maxConcurrent > 0 ? maxConcurrent : Runtime.getRuntime().availableProcessors();
        long budget = memoryBudget.toBytes() > 0 ? memoryBudget.toBytes() : budgetForHeap(Runtime.getRuntime().maxMemory());
        return new Limits(maxInputSize.toBytes(), maxMegapixels * 1_000_000L, concurrent,
                budget, maxQueued, maxQueueWait.toNanoseconds(),
                Math.min(maxQueuedPerClient, maxQueued));
    }
}
