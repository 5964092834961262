package dev.sentence4j.index;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * An index folder's Lucene files opened for reading, for both kinds of index, once checked to hold as
 * many documents as its info file says. Thread-safe; close it to release the files.
 */
final class IndexFiles implements AutoCloseable {
    private final Path folder;
    private final Directory directory;
    private final DirectoryReader reader;

    private IndexFiles(Path folder, Directory directory, DirectoryReader reader) {
        this.folder = folder;
        this.directory = directory;
        this.reader = reader;
    }

    /**
     * Opens the folder's index.
     *
     * @param documents the Lucene documents its info file says it holds
     * @param unit what a document is, for the message when the count differs ("texts")
     * @param said how the info file says it, for that message ("12")
     * @throws IndexException if it is damaged, incomplete or holds another count
     */
    static IndexFiles open(Path folder, long documents, String unit, String said) {
        Directory directory = null;
        try {
            directory = FSDirectory.open(folder);
            DirectoryReader reader = DirectoryReader.open(directory);
            if (reader.numDocs() != documents) {
                int found = reader.numDocs();
                reader.close();
                throw new IndexException("the index " + folder + " holds " + found + " " + unit + " where its "
                        + InfoFile.NAME + " says " + said + "; rebuild it");
            }
            return new IndexFiles(folder, directory, reader);
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(directory);
            throw new IndexException("the index " + folder + " is damaged or incomplete (" + e.getMessage()
                    + "); rebuild it", e);
        } catch (IndexException e) {
            IOUtils.closeWhileHandlingException(directory);
            throw e;
        }
    }

    DirectoryReader reader() {
        return reader;
    }

    @Override
    public void close() {
        try {
            IOUtils.close(reader, directory);
        } catch (IOException e) {
            throw new IndexException("cannot close the index " + folder + ": " + e.getMessage(), e);
        }
    }
}
