"""What-if analysis: apply a proposed policy change to a snapshot and compare the findings
(check-policy), and suggest the smallest fix for a finding."""
