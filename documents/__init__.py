"""Documents an official can hand up: Word reports, Excel workbooks and their charts. Built from
core's records; core never imports this package."""
