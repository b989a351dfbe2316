package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCorpusTest {

  @TempDir Path root;

  @Test
  @DisplayName("places each split and task where the corpus layout says")
  void layout() {
    DemoCorpus c = new DemoCorpus(root);

    assertThat(root.relativize(c.trainAnnotations()))
        .isEqualTo(Path.of("pretrain/annotations/captions_train.json"));
    assertThat(root.relativize(c.valAnnotations()))
        .isEqualTo(Path.of("pretrain/annotations/captions_val.json"));
    assertThat(root.relativize(c.heldoutAnnotations()))
        .isEqualTo(Path.of("heldout/annotations/captions_heldout.json"));
    assertThat(root.relativize(c.trainImages())).isEqualTo(Path.of("pretrain/images"));
    assertThat(root.relativize(c.heldoutImages())).isEqualTo(Path.of("heldout/images"));
    assertThat(root.relativize(c.cacheDir())).isEqualTo(Path.of("cache"));
  }

  @Test
  @DisplayName("reads the emoji-group task as class indices by image id")
  void readsEmojiGroups() throws IOException {
    write(
        "heldout/emoji_groups.json",
        "{'name':'emoji-groups','classes':['flags','objects'],"
            + "'labels':[{'image_id':12,'class':'objects'},{'image_id':7,'class':'flags'}]}");

    ZeroShotTask task = new DemoCorpus(root).emojiGroups();

    assertThat(task.classNames()).containsExactly("flags", "objects");
    assertThat(task.labelByImageId()).containsExactly(Map.entry(12L, 1), Map.entry(7L, 0));
  }

  @Test
  @DisplayName("refuses a label whose class is not listed")
  void rejectsUnknownClass() throws IOException {
    write(
        "heldout/emoji_groups.json",
        "{'classes':['flags'],'labels':[{'image_id':3,'class':'food'}]}");

    assertThatThrownBy(() -> new DemoCorpus(root).emojiGroups())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("image 3");
  }

  @Test
  @DisplayName("counts as built only with a complete manifest and every annotations file")
  void isBuiltNeedsManifest() throws IOException {
    DemoCorpus c = new DemoCorpus(root);
    for (String f :
        List.of(
            "pretrain/annotations/captions_train.json",
            "pretrain/annotations/captions_val.json",
            "heldout/annotations/captions_heldout.json")) {
      write(f, "{'images':[],'annotations':[]}");
    }
    assertThat(c.isBuilt()).isFalse();

    write("manifest.json", "{'complete':false}");
    assertThat(c.isBuilt()).isFalse();

    write("manifest.json", "{'complete':true}");
    assertThat(c.isBuilt()).isTrue();
  }

  private void write(String file, String json) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, json.replace('\'', '"'));
  }
}
