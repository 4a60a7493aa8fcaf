package dev.vecgd.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report keeps the hand-written sections of bench/sections/ beside it, unchanged and in name order. */
class HandWrittenSectionsTest {

    @TempDir
    Path dir;

    @Test
    void sectionsAreAppendedUnchangedInNameOrder() throws Exception {
        Path sections = Files.createDirectories(dir.resolve("bench").resolve("sections"));
        Files.writeString(sections.resolve("20-b.md"), "## B\n\nsecond | with a table\n");
        Files.writeString(sections.resolve("10-a.md"), "## A\n\nfirst, no final newline");
        Files.writeString(sections.resolve("notes.txt"), "not markdown: ignored");
        StringBuilder md = new StringBuilder("# report\n\n");
        ReportMain.handWrittenSections(md, dir.resolve("benchmarks.md"));
        String s = md.toString();
        int a = s.indexOf("## A\n\nfirst, no final newline\n");
        int b = s.indexOf("## B\n\nsecond | with a table\n");
        assertTrue(a > 0 && b > a, s);
        assertTrue(s.contains("`bench/sections/10-a.md`, `bench/sections/20-b.md`"), s);
        assertTrue(!s.contains("not markdown"), s);
    }

    @Test
    void withoutTheDirectoryNothingIsAppended() throws Exception {
        StringBuilder md = new StringBuilder("# report\n");
        ReportMain.handWrittenSections(md, dir.resolve("benchmarks.md"));
        assertEquals("# report\n", md.toString());
    }
}
