package dev.vecgd.solver;

/**
 * The per-iteration bookkeeping shared by the solvers that run their own loop ({@code cg},
 * {@code normal}), in the same order as the gradient-descent loop of {@link LinearRegression}: record the
 * history, remember the best point, call the listener, check the {@link DivergenceGuard}, the
 * {@link StoppingRules}, the listener's answer, and the iteration budget.
 */
final class IterationMonitor {

    private final FitOptions o;
    private final StoppingRules rules;
    private final History history;
    private final DivergenceGuard guard;
    private final int budget;
    private final String method;
    final double[] best;
    double bestLoss = Double.POSITIVE_INFINITY;
    double bestGrad = Double.NaN;
    double bestSsr = Double.NaN;
    int bestK;
    StopReason reason;
    String message;

    IterationMonitor(FitOptions o, StoppingRules rules, double initialLoss, int size, int budget, String method) {
        this.o = o;
        this.rules = rules;
        this.history = new History(o.historyCapacity());
        this.guard = new DivergenceGuard(initialLoss, 1e-9);
        this.best = new double[size];
        this.budget = budget;
        this.method = method;
    }

    /**
     * True when the fit stops at iteration k; {@link #reason} and {@link #message} then say why.
     *
     * @param trueGradient whether gnorm is the norm of the true gradient at w (not a recurrence)
     */
    boolean stop(int k, double loss, double gnorm, double rmsR, double[] w, double ssr, boolean trueGradient) {
        history.record(k, loss, gnorm);
        if (loss < bestLoss) {
            System.arraycopy(w, 0, best, 0, best.length);
            bestLoss = loss;
            bestGrad = gnorm;
            bestSsr = ssr;
            bestK = k;
        }
        IterationListener listener = o.listener();
        boolean keepGoing = listener == null || listener.onIteration(k, loss, gnorm);
        if (guard.diverged(k, loss, rules.lossNoise(w, rmsR))) {
            reason = StopReason.DIVERGED;
            message = "diverged: " + guard.reason() + " (" + method + ", a numerical failure: the data may be too"
                    + " ill-conditioned for double precision). Returned the parameters of the lowest loss seen"
                    + " (iteration " + bestK + ").";
            return true;
        }
        StoppingRules.Verdict v = rules.check(k, loss, gnorm, rmsR, w, trueGradient);
        if (v != StoppingRules.Verdict.CONTINUE) {
            reason = switch (v) {
                case CONVERGED -> StopReason.CONVERGED;
                case PRECISION_LIMIT -> StopReason.PRECISION_LIMIT;
                default -> StopReason.STALLED;
            };
            message = rules.message(v, k, gnorm, rmsR, w) + " (" + method + ")";
            return true;
        }
        if (!keepGoing) {
            reason = StopReason.STOPPED_BY_CALLBACK;
            message = "stopped by the listener at iteration " + k;
            return true;
        }
        if (k >= budget && trueGradient && rules.belowFloor(gnorm, rmsR, w)) {
            reason = StopReason.PRECISION_LIMIT;
            message = rules.precisionMessage(method + " reached " + (budget == o.maxIterations()
                    ? "maxIterations = " + budget : "its budget of " + budget + " iterations"), gnorm, rmsR, w);
            return true;
        }
        if (k >= budget) {
            reason = StopReason.MAX_ITERATIONS;
            message = "not converged: " + method + " reached " + (budget == o.maxIterations()
                    ? "maxIterations = " + budget : "its budget of " + budget + " iterations")
                    + " with ‖∇J‖/S = " + StoppingRules.fmt(rules.relativeGradient(gnorm, rmsR))
                    + " > tolerance " + StoppingRules.fmt(o.gradientTolerance());
            return true;
        }
        return false;
    }

    /** Ends the fit for a reason found outside {@link #stop}. */
    void force(StopReason r, String m) {
        reason = r;
        message = m;
    }

    History history() {
        return history;
    }
}
