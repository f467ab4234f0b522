"""Family-doctor sign-up (家庭医生签约): the resident's side and the team's side."""
