/** A user's application on the module path: vecgd is the named module dev.vecgd. */
module example {
    requires dev.vecgd;
}
