"""Term and year reports: one computation of figures, rendered as HTML, PDF and XLSX."""
