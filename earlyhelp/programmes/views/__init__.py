"""The programme pages: set-up (`setup`), the figures page (`page`) and the funder's reports
(`reports`)."""
