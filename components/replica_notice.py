"""The import tab's notice on losing a replica, with the session's imported rows as a download."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cluster_data import replica_loss


def render(imported: pd.DataFrame | None) -> None:
    b = replica_loss.import_backup(imported)
    st.info(b.statement, icon=":material/dns:")
    if b.csv is not None:
        st.download_button(b.label, data=b.csv, file_name=b.file_name, mime="text/csv", key="dl_import_backup",
                           icon=":material/download:", on_click="ignore")
