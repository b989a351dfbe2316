package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionsTest {

  @TempDir Path dir;

  private Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("captions.json"), json.replace('\'', '"'));
  }

  @Test
  @DisplayName("reads images in file order with their captions in file order")
  void readsImagesAndCaptions() throws IOException {
    Path file =
        write(
            "{'images':[{'id':7,'file_name':'b.png','width':2,'height':1},"
                + "{'id':3,'file_name':'a.png','width':1,'height':1}],"
                + "'annotations':[{'id':1,'image_id':3,'caption':'a red dot'},"
                + "{'id':2,'image_id':7,'caption':'  two pixels '},"
                + "{'id':3,'image_id':3,'caption':'dot'}]}");

    List<CaptionedImage> images = CocoCaptions.read(file);

    assertThat(images)
        .containsExactly(
            new CaptionedImage(7, "b.png", List.of("two pixels")),
            new CaptionedImage(3, "a.png", List.of("a red dot", "dot")));
  }

  @Test
  @DisplayName("drops an image that has no caption")
  void dropsUncaptionedImages() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'},{'id':2,'file_name':'b.png'}],"
                + "'annotations':[{'id':9,'image_id':2,'caption':'b'}]}");

    assertThat(CocoCaptions.read(file)).extracting(CaptionedImage::id).containsExactly(2L);
  }

  @Test
  @DisplayName("names the file and the id of a caption whose image is unknown")
  void rejectsUnknownImage() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'}],"
                + "'annotations':[{'id':5,'image_id':42,'caption':'lost'}]}");

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("annotation 5")
        .hasMessageContaining("unknown image 42");
  }

  @Test
  @DisplayName("names a duplicate image id")
  void rejectsDuplicateImage() throws IOException {
    Path file =
        write(
            "{'images':[{'id':4,'file_name':'a.png'},{'id':4,'file_name':'b.png'}],"
                + "'annotations':[]}");

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("duplicate image id 4");
  }

  @Test
  @DisplayName("names the annotation whose caption is blank")
  void rejectsBlankCaption() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'}],"
                + "'annotations':[{'id':8,'image_id':1,'caption':'  '}]}");

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("annotation 8")
        .hasMessageContaining("empty caption");
  }

  @Test
  @DisplayName("rejects a file that is not a COCO captions object")
  void rejectsMalformedFiles() throws IOException {
    Path notJson = write("[1, 2");
    assertThatThrownBy(() -> CocoCaptions.read(notJson))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(notJson.toString());

    Path noAnnotations = write("{'images':[]}");
    assertThatThrownBy(() -> CocoCaptions.read(noAnnotations))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("annotations");
  }
}
