package dev.cliplab.worker.data.build;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The Dublin Core metadata an openclipart SVG carries in its {@code cc:Work}: title, description,
 * subject keywords and creator.
 *
 * @param title the work's {@code dc:title}, possibly empty
 * @param description the work's {@code dc:description}, possibly empty
 * @param keywords the {@code rdf:li} items of its {@code dc:subject}
 * @param creator the title of its {@code dc:creator} agent, possibly empty
 */
record SvgMetadata(String title, String description, List<String> keywords, String creator) {

  private static final XMLInputFactory FACTORY = newFactory();

  /**
   * Reads the metadata of an SVG document, stopping at the end of its {@code metadata} element.
   *
   * @param svg the document's bytes
   * @return the metadata, with empty fields when the document has none
   * @throws XMLStreamException if the document is not well-formed before its metadata ends
   */
  static SvgMetadata parse(byte[] svg) throws XMLStreamException {
    XMLStreamReader r;
    synchronized (FACTORY) {
      r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(svg));
    }
    try {
      return new Reader(r).read();
    } finally {
      r.close();
    }
  }

  // DTDs stay enabled because Illustrator-made SVGs declare internal entities for their namespace
  // URIs; external entities and DTDs are never fetched, which is what makes parsing safe.
  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setXMLResolver((publicId, systemId, baseUri, namespace) -> InputStream.nullInputStream());
    return f;
  }

  /** Walks the document keeping the element path, which tells a work's title from an agent's. */
  private static final class Reader {
    private final XMLStreamReader r;
    private final Deque<String> path = new ArrayDeque<>();
    private final List<String> keywords = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private String title = "";
    private String description = "";
    private String creator = "";

    Reader(XMLStreamReader r) {
      this.r = r;
    }

    SvgMetadata read() throws XMLStreamException {
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          path.push(r.getLocalName());
          text.setLength(0);
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
          text.append(r.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          String name = path.pop();
          if (name.equals("metadata")) {
            break;
          }
          collect(name, text.toString().strip());
          text.setLength(0);
        }
      }
      return new SvgMetadata(title, description, List.copyOf(keywords), creator);
    }

    private void collect(String name, String value) {
      if (value.isEmpty() || !path.contains("Work")) {
        return;
      }
      String parent = path.peek();
      if (name.equals("title") && "Work".equals(parent) && title.isEmpty()) {
        title = value;
      } else if (name.equals("description") && "Work".equals(parent)) {
        description = value;
      } else if (name.equals("li") && path.contains("subject")) {
        keywords.add(value);
      } else if (name.equals("title") && path.contains("creator") && creator.isEmpty()) {
        creator = value;
      } else if (path.contains("description") && description.isEmpty()) {
        // Some editors wrap the description in an rdf:Alt of language variants.
        description = value;
      }
    }
  }
}
