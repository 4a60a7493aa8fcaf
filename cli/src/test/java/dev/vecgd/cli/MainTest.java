package dev.vecgd.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class MainTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int s = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void demoOnASmallProblemRecoversTheCoefficients() throws Exception {
        Run r = run("demo", "--rows", "20000", "--cols", "5", "--seed", "3");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("stop reason: CONVERGED"), r.out());
        assertTrue(r.out().contains("kernels: "), r.out());
        assertTrue(r.err().contains("iteration     0"), r.err());
        DemoCommand d = new DemoCommand();
        new picocli.CommandLine(d).parseArgs("--rows", "20000", "--cols", "5", "--seed", "3", "--quiet");
        Demo.Outcome o = Demo.run(d.config(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(o.result().converged());
        for (int j = 0; j < 5; j++) {
            // noise σ = 0.1 over 20 000 rows: the estimate is within a few 1e-3 of the truth
            assertEquals(o.problem().theta()[j], o.result().coefficient(j), 0.01, "θ" + (j + 1));
        }
        assertEquals(o.problem().intercept(), o.result().intercept(), 0.05);
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : new String[][] {{}, {"fit"}, {"demo", "--rows"}, {"demo", "--rows", "abc"},
                {"demo", "--rows", "0"}, {"demo", "--bogus"}, {"demo", "--noise", "-1"},
                {"demo", "--rows", "2000000000", "--cols", "16"}}) {
            Run r = run(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().startsWith("vecgd: error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertEquals(0, run("help").status());
    }
}
