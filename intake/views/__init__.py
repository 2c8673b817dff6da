"""Views of the intake app: the front desk (desk.py) and the patient's form (patient.py)."""
