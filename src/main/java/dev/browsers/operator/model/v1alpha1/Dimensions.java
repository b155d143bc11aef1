package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The browser window's size in CSS pixels: every tab's viewport (window.innerWidth, innerHeight). */
public class Dimensions {
    public static final int MIN_WIDTH = 100;
    public static final int MAX_WIDTH = 7680;
    public static final int MIN_HEIGHT = 100;
    public static final int MAX_HEIGHT = 4320;
    /** The window of a session that names none and whose browser class sets none. */
    public static final int DEFAULT_WIDTH = 1920;

    public static final int DEFAULT_HEIGHT = 1080;

    @JsonPropertyDescription("Window width in pixels, 100 to 7680.")
    @Required
    @Min(MIN_WIDTH)
    @Max(MAX_WIDTH)
    private Integer width;

    @JsonPropertyDescription("Window height in pixels, 100 to 4320.")
    @Required
    @Min(MIN_HEIGHT)
    @Max(MAX_HEIGHT)
    private Integer height;

    public Dimensions() {}

    public Dimensions(int width, int height) {
        this.width = width;
        this.height = height;
    }

    public Integer getWidth() {
        return width;
    }

    public void setWidth(Integer width) {
        this.width = width;
    }

    public Integer getHeight() {
        return height;
    }

    public void setHeight(Integer height) {
        this.height = height;
    }
}
