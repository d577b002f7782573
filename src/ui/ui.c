/*
 * ui.c - interactive view.  Until the TUI lands this prints the estimate.
 */
#include <stdio.h>

#include "ui.h"

int ui_main(const struct cli_options *o)
{
	return cli_run(o, stdout, stderr);
}
