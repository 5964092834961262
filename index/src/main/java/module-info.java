/** sentence4j's persistent vector index on Lucene HNSW. */
module dev.sentence4j.index {
    requires transitive dev.sentence4j.core;
    requires org.apache.lucene.core;
    requires org.apache.lucene.join;
    requires com.fasterxml.jackson.databind;

    exports dev.sentence4j.index;
}
