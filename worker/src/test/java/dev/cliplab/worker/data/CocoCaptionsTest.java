package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
  @DisplayName("skips and counts an image that has no caption")
  void dropsUncaptionedImages() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'},{'id':2,'file_name':'b.png'}],"
                + "'annotations':[{'id':9,'image_id':2,'caption':'b'}]}");

    CocoCaptions.CaptionFile read = CocoCaptions.load(file);

    assertThat(read.images()).extracting(CaptionedImage::id).containsExactly(2L);
    assertThat(read.uncaptionedImages()).isEqualTo(1);
    assertThat(read.blankCaptions()).isZero();
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
  @DisplayName("skips and counts blank captions and the images left without any caption")
  void skipsBlankCaptions() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'},{'id':2,'file_name':'b.png'},"
                + "{'id':3,'file_name':'c.png'}],"
                + "'annotations':[{'id':8,'image_id':1,'caption':'  '},"
                + "{'id':9,'image_id':2,'caption':''},{'id':10,'image_id':2,'caption':' b '}]}");

    CocoCaptions.CaptionFile read = CocoCaptions.load(file);

    assertThat(read.images()).containsExactly(new CaptionedImage(2, "b.png", List.of("b")));
    assertThat(read.listedImages()).isEqualTo(3);
    assertThat(read.uncaptionedImages()).isEqualTo(2);
    assertThat(read.blankCaptions()).isEqualTo(2);
  }

  @Test
  @DisplayName("reads the arrays in either order and skips keys it does not know, at any depth")
  void readsKeysInAnyOrder() throws IOException {
    Path file =
        write(
            "{'info':{'year':2017,'nested':[{'images':[]}]},"
                + "'annotations':[{'caption':'a cat','extra':[1,{'x':null}],'image_id':5,'id':2}],"
                + "'licenses':[{'id':1,'name':'by'}],"
                + "'images':[{'coco_url':'http://x','file_name':'5.jpg','height':1,'id':5,"
                + "'flickr':{'id':9}}],"
                + "'type':'captions'}");

    assertThat(CocoCaptions.read(file))
        .containsExactly(new CaptionedImage(5, "5.jpg", List.of("a cat")));
  }

  @Test
  @DisplayName("names an annotation of an unknown image even when annotations come first")
  void rejectsUnknownImageBeforeImages() throws IOException {
    Path file =
        write(
            "{'annotations':[{'id':1,'image_id':1,'caption':'ok'},"
                + "{'id':6,'image_id':77,'caption':' '},{'id':7,'image_id':77,'caption':'x'}],"
                + "'images':[{'id':1,'file_name':'a.png'}]}");

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("annotation 6 names unknown image 77");
  }

  @Test
  @DisplayName("names a duplicate annotation id")
  void rejectsDuplicateAnnotation() throws IOException {
    Path file =
        write(
            "{'images':[{'id':1,'file_name':'a.png'},{'id':2,'file_name':'b.png'}],"
                + "'annotations':[{'id':31,'image_id':1,'caption':'a'},"
                + "{'id':30,'image_id':2,'caption':'b'},{'id':31,'image_id':2,'caption':'c'}]}");

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("duplicate annotation id 31");
  }

  @Test
  @DisplayName("names the annotation whose caption or image id is missing")
  void rejectsMissingFields() throws IOException {
    Path noCaption =
        write("{'images':[{'id':1,'file_name':'a.png'}],'annotations':[{'id':4,'image_id':1}]}");
    assertThatThrownBy(() -> CocoCaptions.read(noCaption))
        .hasMessageContaining("annotation 4 of image 1 has no string 'caption'");

    Path floatImage =
        write(
            "{'images':[{'id':1,'file_name':'a.png'}],"
                + "'annotations':[{'id':4,'image_id':1.5,'caption':'a'}]}");
    assertThatThrownBy(() -> CocoCaptions.read(floatImage))
        .hasMessageContaining("annotation 4 has no integer 'image_id'");

    Path noId = write("{'images':[{'file_name':'a.png'}],'annotations':[]}");
    assertThatThrownBy(() -> CocoCaptions.read(noId))
        .hasMessageContaining("images[0] has no integer 'id'");
  }

  @Test
  @DisplayName("names the file and line of invalid UTF-8")
  void rejectsInvalidUtf8() throws IOException {
    byte[] head =
        "{\"images\":[{\"id\":1,\"file_name\":\"a.png\"}],\n\"annotations\":[{\"id\":1,"
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail =
        "\"image_id\":1,\"caption\":\"caf\u00e9\"}]}".getBytes(StandardCharsets.ISO_8859_1);
    Path file = dir.resolve("latin1.json");
    Files.write(file, concat(head, tail));

    assertThatThrownBy(() -> CocoCaptions.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2")
        .hasMessageContaining("Invalid UTF-8");
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
        .hasMessageContaining("missing array 'annotations'");

    Path twoObjects = write("{'images':[],'annotations':[]} {}");
    assertThatThrownBy(() -> CocoCaptions.read(twoObjects))
        .hasMessageContaining("content after its top-level object");

    Path missing = dir.resolve("absent.json");
    assertThatThrownBy(() -> CocoCaptions.read(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
